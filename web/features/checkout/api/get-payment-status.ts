import { useQuery } from '@tanstack/react-query';
import { z } from 'zod';
import { apiFetch } from '../../../lib/api-client';

export const paymentStatusSchema = z.object({
  paymentId: z.string(),
  status: z.enum(['waiting', 'confirming', 'paid', 'partially_paid', 'expired', 'failed', 'refunded']),
  orderStatus: z.enum(['pending', 'partially_paid', 'paid', 'fulfilled', 'expired', 'failed', 'refunded']),
  orderId: z.string().nullish(),
  orderNumber: z.union([z.string(), z.number()]).nullish(),
  planSlug: z.string().nullish(),
  planName: z.string().nullish(),
  priceUsd: z.number().nullish(),
  payAddress: z.string().nullable(),
  payAmount: z.union([z.number(), z.string()]).nullable(),
  payCurrency: z.string(),
  actuallyPaid: z.union([z.number(), z.string()]).nullish(),
  missingAmount: z.union([z.number(), z.string()]).nullish(),
  expiresAt: z.string().nullish(),
  backordered: z.boolean().nullish(),
});
export type PaymentStatus = z.infer<typeof paymentStatusSchema>;

export async function getPaymentStatus(paymentId: string): Promise<PaymentStatus> {
  return paymentStatusSchema.parse(await apiFetch(`/api/payment/status?paymentId=${encodeURIComponent(paymentId)}`));
}

/** Nothing more can happen to these without the buyer starting again. */
export function isFinalPayment(s: PaymentStatus): boolean {
  return s.orderStatus === 'fulfilled' || ['expired', 'failed', 'refunded'].includes(s.status);
}

function pollEvery(s: PaymentStatus | undefined): number | false {
  if (!s) return 3000;
  if (s.orderStatus === 'fulfilled' || s.status === 'failed' || s.status === 'refunded') return false;
  // Coins sent just before expiry still count when they land, so keep an eye on it, slowly.
  if (s.status === 'expired') return 15_000;
  return 3000;
}

export function usePaymentStatus(paymentId: string | null) {
  return useQuery({
    queryKey: ['payment-status', paymentId],
    queryFn: () => getPaymentStatus(paymentId!),
    enabled: paymentId !== null,
    // Live status: the provider (or the sandbox) moves the payment on its own.
    refetchInterval: (q) => pollEvery(q.state.data),
    refetchIntervalInBackground: true,
    retry: 2,
  });
}

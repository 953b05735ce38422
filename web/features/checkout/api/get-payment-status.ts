import { useQuery } from '@tanstack/react-query';
import { type PaymentStatusDetails, type PublicPaymentStatusView, paymentStatusResponseSchema } from '../../../../src/shared/api/payments';
import { apiFetch } from '../../../lib/api-client';

/**
 * What the pay screen shows: the status, and the order's details when the server sent them
 * (with the checkout secret) or this browser remembers them (from creating the payment).
 */
export type PaymentStatus = PublicPaymentStatusView &
  Partial<Omit<PaymentStatusDetails, keyof PublicPaymentStatusView | 'payCurrency'>> & { payCurrency: string };

/** What this browser already knows about the payment (from creating it), shown when the server shows only the status. */
export type KnownPayment = Partial<Pick<PaymentStatusDetails, 'payAddress' | 'payAmount' | 'payCurrency' | 'expiresAt' | 'priceUsd' | 'orderNumber'>>;

export type PaymentStatusRequest = { paymentId: string; checkoutSecret?: string | null; known?: KnownPayment };

/**
 * The order's details come only with the checkout secret (or the owner's session): payment ids
 * are guessable. The secret goes in a header, never the URL. A browser that resumed a payment
 * without the secret falls back on what creating it returned.
 */
export async function getPaymentStatus({ paymentId, checkoutSecret, known }: PaymentStatusRequest): Promise<PaymentStatus> {
  const fresh = paymentStatusResponseSchema.parse(
    await apiFetch(`/api/payment/status?paymentId=${encodeURIComponent(paymentId)}`, {
      headers: checkoutSecret ? { 'x-checkout-secret': checkoutSecret } : {},
    }),
  );
  return { payCurrency: '', ...known, ...fresh };
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

export function usePaymentStatus(request: PaymentStatusRequest | null) {
  return useQuery({
    queryKey: ['payment-status', request?.paymentId ?? null],
    queryFn: () => getPaymentStatus(request!),
    enabled: request !== null,
    // Live status: the provider (or the sandbox) moves the payment on its own.
    refetchInterval: (q) => pollEvery(q.state.data),
    refetchIntervalInBackground: true,
    retry: 2,
  });
}

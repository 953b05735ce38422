import { useMutation } from '@tanstack/react-query';
import { z } from 'zod';
import { ApiError, apiFetch } from '../../../lib/api-client';

export const createdPaymentSchema = z.object({
  orderId: z.string(),
  orderNumber: z.union([z.string(), z.number()]).nullish(),
  paymentId: z.string(),
  payAddress: z.string().nullable(),
  payAmount: z.union([z.number(), z.string()]).nullable(),
  payCurrency: z.string(),
  priceUsd: z.number(),
  expiresAt: z.string().nullish(),
  status: z.string(),
  // null when the server hands back an already pending payment: the first response had it.
  checkoutSecret: z.string().nullish(),
});
export type CreatedPayment = z.infer<typeof createdPaymentSchema>;

export type CreatePaymentInput = { email: string; slug: string; currency: string; ref?: string };

export async function createPayment(input: CreatePaymentInput): Promise<CreatedPayment> {
  try {
    return createdPaymentSchema.parse(await apiFetch('/api/payment/create', { method: 'POST', body: input }));
  } catch (err) {
    // A double click: the first request is still getting the invoice; once it has, this resumes it.
    if (!(err instanceof ApiError && err.status === 409 && err.code === 'conflict' && /being created/i.test(err.message))) throw err;
    await new Promise((resolve) => setTimeout(resolve, 1500));
    return createdPaymentSchema.parse(await apiFetch('/api/payment/create', { method: 'POST', body: input }));
  }
}

export function useCreatePayment() {
  return useMutation({ mutationFn: createPayment });
}

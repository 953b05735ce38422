import { useMutation } from '@tanstack/react-query';
import { type CreateCheckoutBody, type CreatedPayment, createdPaymentSchema } from '../../../../src/shared/api/checkout';
import { ApiError, apiFetch } from '../../../lib/api-client';

export type CreatePaymentInput = Pick<CreateCheckoutBody, 'email' | 'currency' | 'ref'> & { slug: string };

export async function createPayment(input: CreatePaymentInput): Promise<CreatedPayment> {
  try {
    return createdPaymentSchema.parse(await apiFetch('/api/payment/create', { method: 'POST', body: input }));
  } catch (err) {
    // A double click: the first request is still getting the invoice; once it has, this resumes it.
    if (!(err instanceof ApiError && err.code === 'payment_in_progress')) throw err;
    await new Promise((resolve) => setTimeout(resolve, 1500));
    return createdPaymentSchema.parse(await apiFetch('/api/payment/create', { method: 'POST', body: input }));
  }
}

export function useCreatePayment() {
  return useMutation({ mutationFn: createPayment });
}

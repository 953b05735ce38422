import { useMutation } from '@tanstack/react-query';
import { type CancelledCheckout, type ChangedPayment, cancelledCheckoutSchema, changedPaymentSchema } from '../../../../src/shared/api/checkout';
import { apiFetch } from '../../../lib/api-client';

/** Only the browser holding the checkout secret may give up (or swap) its invoice. */
export type PaymentCredential = { paymentId: string; checkoutSecret: string };

export async function cancelPayment({ paymentId, checkoutSecret }: PaymentCredential): Promise<CancelledCheckout> {
  return cancelledCheckoutSchema.parse(
    await apiFetch('/api/payment/cancel', { method: 'POST', body: { paymentId }, headers: { 'x-checkout-secret': checkoutSecret } }),
  );
}

export function useCancelPayment() {
  return useMutation({ mutationFn: cancelPayment });
}

export async function changeCoin({
  paymentId,
  checkoutSecret,
  currency,
  ref,
}: PaymentCredential & { currency: string; ref?: string }): Promise<ChangedPayment> {
  return changedPaymentSchema.parse(
    await apiFetch('/api/payment/change-coin', {
      method: 'POST',
      body: { paymentId, currency, ...(ref ? { ref } : {}) },
      headers: { 'x-checkout-secret': checkoutSecret },
    }),
  );
}

export function useChangeCoin() {
  return useMutation({ mutationFn: changeCoin });
}

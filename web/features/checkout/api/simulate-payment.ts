import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiFetch } from '../../../lib/api-client';

export type SimulatedStatus = 'confirming' | 'finished' | 'partially_paid' | 'expired' | 'failed';

export type SimulatePaymentInput = { paymentId: string; status: SimulatedStatus; actuallyPaid?: string };

export async function simulatePayment(input: SimulatePaymentInput): Promise<void> {
  await apiFetch('/api/payment/simulate', { method: 'POST', body: input });
}

export function useSimulatePayment() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: simulatePayment,
    onSuccess: (_r, input) => qc.invalidateQueries({ queryKey: ['payment-status', input.paymentId] }),
  });
}

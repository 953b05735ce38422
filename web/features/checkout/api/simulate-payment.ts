import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { SimulatableStatus, SimulatePaymentBody } from '../../../../src/shared/api/payments';
import { apiFetch } from '../../../lib/api-client';

export type SimulatedStatus = SimulatableStatus;

export type SimulatePaymentInput = SimulatePaymentBody & { paymentId: string };

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

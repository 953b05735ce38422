import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type Recovered, recoveredSchema } from '../../../../src/shared/api/accounts';
import { apiFetch } from '../../../lib/api-client';

/** Asks for a recovery link; the server answers the same whether or not the address has an account. */
export async function requestRecovery(email: string): Promise<void> {
  await apiFetch('/api/auth/recover', { method: 'POST', body: { email } });
}

export async function redeemRecovery(token: string): Promise<Recovered> {
  return recoveredSchema.parse(await apiFetch('/api/auth/recover/redeem', { method: 'POST', body: { token } }));
}

export function useRequestRecovery() {
  return useMutation({ mutationFn: requestRecovery });
}

export function useRedeemRecovery() {
  const qc = useQueryClient();
  return useMutation({ mutationFn: redeemRecovery, onSuccess: () => qc.removeQueries() });
}

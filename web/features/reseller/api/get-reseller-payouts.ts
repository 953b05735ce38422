import { useQuery } from '@tanstack/react-query';
import { type ResellerPayout, resellerPayoutsSchema } from '../../../../src/shared/api/resellers';
import { apiFetch } from '../../../lib/api-client';

export type { ResellerPayout };

export async function getResellerPayouts(): Promise<ResellerPayout[]> {
  return resellerPayoutsSchema.parse(await apiFetch('/api/reseller/payouts')).payouts;
}

export function useResellerPayouts() {
  return useQuery({ queryKey: ['reseller', 'payouts'], queryFn: getResellerPayouts, refetchInterval: 60_000 });
}

import { useQuery } from '@tanstack/react-query';
import { type ResellerMe as Reseller, resellerMeSchema } from '../../../../src/shared/api/resellers';
import { apiFetch } from '../../../lib/api-client';

export type { Reseller };

export async function getReseller(): Promise<Reseller> {
  return resellerMeSchema.parse(await apiFetch('/api/reseller/me'));
}

export function useReseller() {
  return useQuery({ queryKey: ['reseller', 'me'], queryFn: getReseller, refetchInterval: 60_000 });
}

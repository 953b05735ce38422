import { useQuery } from '@tanstack/react-query';
import { ApiError, apiFetch } from '../../../lib/api-client';

/** The reseller a `?ref=` code names, or null when no active reseller has it (it will not count). */
export async function getReferral(code: string): Promise<{ code: string } | null> {
  try {
    return await apiFetch<{ code: string }>(`/api/referrals/${encodeURIComponent(code)}`);
  } catch (err) {
    if (err instanceof ApiError && (err.code === 'not_found' || err.code === 'validation_error')) return null;
    throw err;
  }
}

export function useReferral(code: string | null) {
  return useQuery({ queryKey: ['referral', code], queryFn: () => getReferral(code!), enabled: !!code, staleTime: 5 * 60_000 });
}

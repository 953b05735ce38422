import { useQuery } from '@tanstack/react-query';
import { z } from 'zod';
import { apiFetch } from '../../../lib/api-client';

const payoutsSchema = z.object({
  payouts: z.array(z.object({ amountUsd: z.number(), note: z.string().nullable(), createdAt: z.string() })),
});
export type ResellerPayout = z.infer<typeof payoutsSchema>['payouts'][number];

export async function getResellerPayouts(): Promise<ResellerPayout[]> {
  return payoutsSchema.parse(await apiFetch('/api/reseller/payouts')).payouts;
}

export function useResellerPayouts() {
  return useQuery({ queryKey: ['reseller', 'payouts'], queryFn: getResellerPayouts, refetchInterval: 60_000 });
}

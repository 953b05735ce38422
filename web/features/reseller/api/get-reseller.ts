import { useQuery } from '@tanstack/react-query';
import { z } from 'zod';
import { apiFetch } from '../../../lib/api-client';

const resellerSchema = z.object({
  email: z.string().nullable(),
  referralCode: z.string(),
  referralLink: z.string(),
  commissionPercent: z.number(),
  active: z.boolean(),
  earnedUsd: z.number(),
  paidUsd: z.number(),
  dueUsd: z.number(),
  customers: z.number(),
  orders: z.number(),
});
export type Reseller = z.infer<typeof resellerSchema>;

export async function getReseller(): Promise<Reseller> {
  return resellerSchema.parse(await apiFetch('/api/reseller/me'));
}

export function useReseller() {
  return useQuery({ queryKey: ['reseller', 'me'], queryFn: getReseller, refetchInterval: 60_000 });
}

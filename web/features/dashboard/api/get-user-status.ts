import { useQuery } from '@tanstack/react-query';
import { z } from 'zod';
import { apiFetch } from '../../../lib/api-client';

const userStatusSchema = z.object({
  email: z.string(),
  planStatus: z.enum(['active', 'inactive', 'expired']),
  plan: z.object({ id: z.string(), slug: z.string(), name: z.string(), priceUsd: z.number() }).passthrough().nullable(),
  expiresAt: z.string().nullable(),
  // With plan.id, what checkout needs to tell a new purchase from a renewal (src/shared/purchase-kind.ts).
  sendersReleased: z.boolean(),
  accountBanned: z.boolean(),
  notificationCount: z.number(),
});
export type UserStatus = z.infer<typeof userStatusSchema>;

export async function getUserStatus(): Promise<UserStatus> {
  return userStatusSchema.parse(await apiFetch('/api/user/status'));
}

export function useUserStatus({ enabled = true }: { enabled?: boolean } = {}) {
  return useQuery({ queryKey: ['user', 'status'], queryFn: getUserStatus, refetchInterval: 60_000, enabled });
}

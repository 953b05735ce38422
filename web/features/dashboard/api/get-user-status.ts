import { useQuery } from '@tanstack/react-query';
import { z } from 'zod';
import { apiFetch } from '../../../lib/api-client';

const userStatusSchema = z.object({
  email: z.string(),
  planStatus: z.enum(['active', 'inactive', 'expired']),
  plan: z.object({ slug: z.string(), name: z.string() }).passthrough().nullable(),
  expiresAt: z.string().nullable(),
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

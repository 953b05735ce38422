import { useQuery } from '@tanstack/react-query';
import { type UserStatus, userStatusSchema } from '../../../../src/shared/api/customer';
import { apiFetch } from '../../../lib/api-client';

export type { UserStatus };

export async function getUserStatus(): Promise<UserStatus> {
  return userStatusSchema.parse(await apiFetch('/api/user/status'));
}

export function useUserStatus({ enabled = true }: { enabled?: boolean } = {}) {
  return useQuery({ queryKey: ['user', 'status'], queryFn: getUserStatus, refetchInterval: 60_000, enabled });
}

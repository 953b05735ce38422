import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type UserStats, userStatsSchema } from '../../../../src/shared/api/customer';
import { apiFetch } from '../../../lib/api-client';
import { awaitingFirstPost, type Bot, FAST_POLL_MS, SLOW_POLL_MS } from './get-bot';

export async function getStats(): Promise<UserStats> {
  return userStatsSchema.parse(await apiFetch('/api/user/stats'));
}

export function useStats() {
  const qc = useQueryClient();
  return useQuery({
    queryKey: ['user', 'stats'],
    queryFn: getStats,
    refetchInterval: (q) => (!q.state.data?.lastPostAt && awaitingFirstPost(qc.getQueryData<Bot | null>(['user', 'bot'])) ? FAST_POLL_MS : SLOW_POLL_MS),
  });
}

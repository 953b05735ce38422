import { useQuery, useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import { apiFetch } from '../../../lib/api-client';
import { awaitingFirstPost, type Bot, FAST_POLL_MS, SLOW_POLL_MS } from './get-bot';

const statsSchema = z.object({
  messagesSent: z.number(),
  // Part of messagesSent: delivered just before a worker stopped, so Telegram's answer (the link) is missing.
  messagesUnconfirmed: z.number().default(0),
  messagesFailed: z.number(),
  lastPostAt: z.string().nullable(),
  status: z.string().nullish(),
  daily: z.array(z.object({ date: z.string(), sent: z.number(), failed: z.number() })).default([]),
});
export type Stats = z.infer<typeof statsSchema>;

export async function getStats(): Promise<Stats> {
  return statsSchema.parse(await apiFetch('/api/user/stats'));
}

export function useStats() {
  const qc = useQueryClient();
  return useQuery({
    queryKey: ['user', 'stats'],
    queryFn: getStats,
    refetchInterval: (q) => (!q.state.data?.lastPostAt && awaitingFirstPost(qc.getQueryData<Bot | null>(['user', 'bot'])) ? FAST_POLL_MS : SLOW_POLL_MS),
  });
}

import { useQuery } from '@tanstack/react-query';
import { z } from 'zod';
import { ApiError, apiFetch } from '../../../lib/api-client';

export const buttonSchema = z.object({ text: z.string(), url: z.string() });
export const postSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('text'),
    text: z.string(),
    imageUrl: z.string().nullish(),
    buttons: z.array(buttonSchema).nullish(),
  }),
  z.object({ type: z.literal('link'), link: z.string() }),
]);
export type Post = z.infer<typeof postSchema>;

export const chatSchema = z.object({
  ref: z.string(),
  chatId: z.union([z.string(), z.number()]).nullish(),
  title: z.string().nullish(),
  status: z.enum(['pending', 'ok', 'no_access', 'not_found', 'error']),
  senderUsername: z.string().nullish(),
  lastPostAt: z.string().nullish(),
  nextPostAt: z.string().nullish(),
  lastError: z.string().nullish(),
  lastPostUrl: z.string().nullish(),
  lastPostUnconfirmed: z.boolean().nullish(),
});
export type Chat = z.infer<typeof chatSchema>;

export const botSchema = z.object({
  id: z.string(),
  status: z.enum(['running', 'stopped', 'expired', 'suspended']),
  planName: z.string().nullish(),
  postingIntervalSeconds: z.number(),
  expiresAt: z.string().nullable(),
  senders: z.array(z.object({ id: z.string(), username: z.string().nullable(), state: z.string() })),
  post: postSchema.nullable(),
  chats: z.array(chatSchema),
});
export type Bot = z.infer<typeof botSchema>;

/** The customer's bot, or null while they have none (before the first fulfilment). */
export async function getBot(): Promise<Bot | null> {
  try {
    return botSchema.parse(await apiFetch('/api/user/bot'));
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return null;
    throw err;
  }
}

/** Running with nothing posted yet: the first post lands within seconds, so look often until it does. */
export function awaitingFirstPost(bot: Bot | null | undefined): boolean {
  return bot?.status === 'running' && !bot.chats.some((c) => c.lastPostAt);
}

export const FAST_POLL_MS = 4_000;
export const SLOW_POLL_MS = 30_000;

export function useBot() {
  return useQuery({
    queryKey: ['user', 'bot'],
    queryFn: getBot,
    refetchInterval: (q) => (awaitingFirstPost(q.state.data) ? FAST_POLL_MS : SLOW_POLL_MS),
  });
}

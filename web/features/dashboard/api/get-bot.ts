import { useQuery } from '@tanstack/react-query';
import { type BotChat, type BotView, botViewSchema, type StoredPost, storedPostSchema } from '../../../../src/shared/api/customer';
import { ApiError, apiFetch } from '../../../lib/api-client';

export type Bot = BotView;
export type Chat = BotChat;
/** An ad as the screens show it: stored, or being edited. */
export type Post = StoredPost;
/** The admin screens show a customer's ad with the same preview. */
export const postSchema = storedPostSchema;

/** The customer's bot, or null while they have none (before the first fulfilment). */
export async function getBot(): Promise<Bot | null> {
  try {
    return botViewSchema.parse(await apiFetch('/api/user/bot'));
  } catch (err) {
    if (err instanceof ApiError && err.code === 'not_found') return null;
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

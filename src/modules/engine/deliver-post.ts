// One ad into one chat through one sender: the only place that turns a stored ad into a
// Bot API call. Sandbox senders never touch the network.
import { randomInt } from 'node:crypto';
import type { InlineKeyboardMarkup } from 'grammy/types';
import { callTelegram, createTelegramApi } from '../../integrations/telegram/client.js';

export type StoredPost =
  | { type: 'text'; text: string; imageUrl?: string; buttons?: { text: string; url: string }[] }
  | { type: 'link'; link: string; fromChat: string; messageId: number };

export type DeliverPostOptions = {
  apiRoot: string;
  /** null for a sandbox sender: its deliveries are recorded, nothing is sent. */
  token: string | null;
  /** A chat id, or `@username` while the id is not known yet. */
  chat: bigint | string;
  post: StoredPost;
};

/** Returns Telegram's message id; throws a TelegramError when Telegram refuses. */
export async function deliverPost({ apiRoot, token, chat, post }: DeliverPostOptions): Promise<{ messageId: number; sandbox: boolean }> {
  if (token === null) return { messageId: randomInt(1, 2 ** 31), sandbox: true };
  const api = createTelegramApi({ apiRoot, token });
  const chatId = typeof chat === 'bigint' ? Number(chat) : chat;
  const keyboard = replyMarkup(post);
  if (post.type === 'link') {
    const sent = await callTelegram(() => api.copyMessage(chatId, post.fromChat, post.messageId, keyboard ? { reply_markup: keyboard } : {}));
    return { messageId: sent.message_id, sandbox: false };
  }
  if (post.imageUrl) {
    const sent = await callTelegram(() =>
      api.sendPhoto(chatId, post.imageUrl!, { caption: post.text, parse_mode: 'HTML', ...(keyboard ? { reply_markup: keyboard } : {}) }),
    );
    return { messageId: sent.message_id, sandbox: false };
  }
  const sent = await callTelegram(() =>
    api.sendMessage(chatId, post.text, {
      parse_mode: 'HTML',
      // An ad with a link would otherwise grow a preview card that pushes the ad text down.
      link_preview_options: { is_disabled: true },
      ...(keyboard ? { reply_markup: keyboard } : {}),
    }),
  );
  return { messageId: sent.message_id, sandbox: false };
}

function replyMarkup(post: StoredPost): InlineKeyboardMarkup | undefined {
  if (post.type !== 'text' || !post.buttons?.length) return undefined;
  return { inline_keyboard: post.buttons.map((b) => [{ text: b.text, url: b.url }]) };
}

/** The adbot's `post` column, narrowed; null when it is missing or not something we can send. */
export function readStoredPost(value: unknown): StoredPost | null {
  const p = value as Partial<Record<string, unknown>> | null;
  if (!p || typeof p !== 'object') return null;
  if (p.type === 'text' && typeof p.text === 'string' && p.text.trim()) return p as unknown as StoredPost;
  if (p.type === 'link' && typeof p.fromChat === 'string' && Number.isInteger(p.messageId)) return p as unknown as StoredPost;
  return null;
}

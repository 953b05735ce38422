// Shared by the server (PUT /api/user/bot) and the dashboard, so both judge an ad and its chats
// by the same rules and word problems the same way. Pure: zod and entities only, no Node imports.
import { z } from 'zod';
import { parseChatRef } from './chat-ref.js';
import { MAX_CHATS } from './plan-limits.js';
import { checkTelegramHtml } from './telegram-html.js';

/** How many buttons one message may carry. */
export const MAX_BUTTONS = 8;

const httpsUrl = z.url({ protocol: /^https$/, error: 'must be an https:// URL' }).max(2048);

const textPost = z
  .object({
    type: z.literal('text'),
    // A bound on the raw HTML (tags included) only; Telegram's own limit is checked below.
    text: z.string().trim().min(1, 'write the ad text').max(20_000, 'is too long'),
    imageUrl: httpsUrl.optional(),
    buttons: z
      .array(z.strictObject({ text: z.string().trim().min(1, 'needs a label').max(64), url: httpsUrl }))
      .max(MAX_BUTTONS, `at most ${MAX_BUTTONS} buttons`)
      .optional(),
  })
  .superRefine((post, ctx) => {
    const problem = checkTelegramHtml(post.text);
    if (problem) ctx.addIssue({ code: 'custom', path: ['text'], message: problem });
    const { length, limit } = adTextLength(post.text, !!post.imageUrl);
    if (length > limit) {
      ctx.addIssue({
        code: 'custom',
        path: ['text'],
        message: `is longer than ${limit} characters${post.imageUrl ? ' (the limit for a text under an image)' : ''}`,
      });
    }
  });

/** Telegram's limit on a message's text. */
export const TEXT_LIMIT = 4096;
/** With an image the text travels as a caption, which Telegram caps at 1024. */
export const CAPTION_LIMIT = 1024;

/**
 * What the save counts and the limit it applies: the trimmed text (the schema trims before
 * this runs) against the caption limit when there is an image. The ad form's counter shows
 * exactly this, so a text shown as fitting is never refused on save, or the other way round.
 */
export function adTextLength(text: string, hasImage: boolean): { length: number; limit: number } {
  return { length: telegramTextLength(text.trim()), limit: hasImage ? CAPTION_LIMIT : TEXT_LIMIT };
}

/**
 * The length Telegram holds against its 4096 / 1024 limits: the text after HTML parsing,
 * counted in UTF-16 code units as the Bot API counts (an emoji outside the BMP is 2). Only
 * &lt; &gt; &amp; &quot; and numeric entities are decoded by Telegram; any other `&name;` is
 * counted as written, which can only over-count.
 */
export function telegramTextLength(html: string): number {
  const text = html
    .replace(/<[^>]*>/g, '')
    .replace(/&(lt|gt|amp|quot);/gi, '_')
    .replace(/&#(x[0-9a-f]+|\d+);/gi, (whole, code: string) => {
      const n = code[0] === 'x' || code[0] === 'X' ? parseInt(code.slice(1), 16) : Number(code);
      return Number.isInteger(n) && n >= 0 && n <= 0x10ffff ? String.fromCodePoint(n) : whole;
    });
  return text.length;
}

// Bounded so an absurd id never reaches Telegram or a bigint column: private channel ids are
// at most 13 digits, message ids are 32-bit, public usernames are 5-32 characters.
const POST_LINK = /^(?:https?:\/\/)?(?:t\.me|telegram\.me)\/(?:(c)\/(\d{1,13})|([a-z][a-z0-9_]{4,31}))\/(\d{1,10})\/?$/i;
const MAX_MESSAGE_ID = 2_147_483_647;

const linkPost = z.object({ type: z.literal('link'), link: z.string().trim() }).transform((post, ctx) => {
  const m = POST_LINK.exec(post.link);
  if (!m || Number(m[4]) > MAX_MESSAGE_ID || Number(m[4]) < 1 || (m[2] !== undefined && Number(m[2]) < 1)) {
    ctx.addIssue({ code: 'custom', path: ['link'], message: 'must be a channel post link like https://t.me/channel/123' });
    return z.NEVER;
  }
  const fromChat = m[1] ? `-100${m[2]}` : `@${m[3]!.toLowerCase()}`;
  const link = m[1] ? `https://t.me/c/${m[2]}/${m[4]}` : `https://t.me/${m[3]}/${m[4]}`;
  return { type: 'link' as const, link, fromChat, messageId: Number(m[4]) };
});

export const botPostSchema = z.discriminatedUnion('type', [textPost, linkPost], {
  error: 'post.type must be "text" or "link"',
});

const chatRef = z
  .string()
  .max(200)
  .transform((value, ctx) => {
    const parsed = parseChatRef(value);
    if ('error' in parsed) {
      ctx.addIssue({ code: 'custom', message: parsed.error });
      return z.NEVER;
    }
    return parsed;
  });

// The pricing page promises this number: it lives where a zod-free page can import it.
export { MAX_CHATS };

export const putBotSchema = z
  .object({
    post: botPostSchema.optional(),
    chats: z.array(chatRef).max(MAX_CHATS, `at most ${MAX_CHATS} chats`).optional(),
  })
  .refine((b) => b.post !== undefined || b.chats !== undefined, { message: 'send post, chats or both' });

export type BotPost = z.infer<typeof botPostSchema>;
export type PutBotInput = z.infer<typeof putBotSchema>;
/** What a client sends as the ad (a channel post is resolved to its chat and message on the way in). */
export type BotPostBody = z.input<typeof botPostSchema>;
export type PutBotBody = z.input<typeof putBotSchema>;

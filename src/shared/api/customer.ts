// The customer's dashboard routes, /api/user/* (SPEC §6): plan status, delivery statistics,
// the adbot (its ad, chats and senders) and notifications. The body of PUT /api/user/bot is
// `putBotSchema` (src/shared/bot-config-schema.ts), shared with the ad form.
import { z } from 'zod';
import { idSchema, isoDateTime } from './common.js';

export const botStatusSchema = z.enum(['running', 'stopped', 'expired', 'suspended']);
export type BotStatus = z.infer<typeof botStatusSchema>;

export const userStatusSchema = z.object({
  email: z.string().nullable(),
  planStatus: z.enum(['active', 'inactive', 'expired']),
  plan: z
    .object({
      id: idSchema,
      slug: z.string(),
      name: z.string(),
      priceUsd: z.number(),
      senders: z.number().int(),
      postingIntervalSeconds: z.number().int(),
      validityDays: z.number().int(),
    })
    .nullable(),
  botStatus: botStatusSchema.nullable(),
  expiresAt: isoDateTime.nullable(),
  /** The plan ended and its senders went back to stock: renewing needs new ones. */
  sendersReleased: z.boolean(),
  accountBanned: z.boolean(),
  notificationCount: z.number().int(),
});
export type UserStatus = z.infer<typeof userStatusSchema>;

const dayCount = z.object({ sent: z.number().int(), failed: z.number().int() });

export const userStatsSchema = z.object({
  /** Includes the unconfirmed ones: they very likely went out. */
  messagesSent: z.number().int(),
  /** Part of messagesSent: delivered just before a worker stopped, so Telegram's answer (the link) is missing. */
  messagesUnconfirmed: z.number().int(),
  messagesFailed: z.number().int(),
  lastPostAt: isoDateTime.nullable(),
  status: botStatusSchema.nullable(),
  today: dayCount,
  /** The last 7 UTC days, oldest first. */
  daily: z.array(dayCount.extend({ date: z.iso.date() })),
});
export type UserStats = z.infer<typeof userStatsSchema>;

/** The ad as stored: what PUT /api/user/bot accepted, with a channel post resolved to its chat and message. */
export const storedPostSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('text'),
    text: z.string(),
    imageUrl: z.string().nullish(),
    buttons: z.array(z.object({ text: z.string(), url: z.string() })).nullish(),
  }),
  z.object({ type: z.literal('link'), link: z.string(), fromChat: z.string().optional(), messageId: z.number().int().optional() }),
]);
export type StoredPost = z.infer<typeof storedPostSchema>;

export const chatStatusSchema = z.enum(['pending', 'ok', 'no_access', 'not_found', 'error']);

export const botChatSchema = z.object({
  /** The chat as the customer's list names it: '@username' (lower-case) or a numeric id. */
  ref: z.string(),
  /** Telegram's 64-bit id as text, so every digit survives JSON. */
  chatId: z.string().nullable(),
  title: z.string().nullable(),
  status: chatStatusSchema,
  senderUsername: z.string().nullable(),
  lastPostAt: isoDateTime.nullable(),
  nextPostAt: isoDateTime.nullable(),
  lastError: z.string().nullable(),
  lastPostUrl: z.string().nullable(),
  /** The latest post went out just before a worker stopped: sent, not confirmed (no link). */
  lastPostUnconfirmed: z.boolean(),
});
export type BotChat = z.infer<typeof botChatSchema>;

export const botSenderSchema = z.object({
  id: idSchema,
  username: z.string(),
  state: z.enum(['unused', 'reserved', 'assigned', 'frozen', 'banned']),
  addToGroupUrl: z.string(),
  addToChannelUrl: z.string(),
});

export const botViewSchema = z
  .object({
    id: idSchema,
    status: botStatusSchema,
    planSlug: z.string(),
    planName: z.string(),
    postingIntervalSeconds: z.number().int(),
    senderCount: z.number().int(),
    expiresAt: isoDateTime,
    senders: z.array(botSenderSchema),
    post: storedPostSchema.nullable(),
    /** Set when Telegram refused the ad itself (dead image link, deleted source post…): the bot is paused until the ad is edited or started again. */
    adError: z.string().nullable(),
    chats: z.array(botChatSchema),
  })
  .meta({ id: 'BotView' });
export type BotView = z.infer<typeof botViewSchema>;

export const notificationSchema = z.object({
  id: idSchema,
  kind: z.string(),
  title: z.string(),
  body: z.string(),
  readAt: isoDateTime.nullable(),
  createdAt: isoDateTime,
});
export type Notification = z.infer<typeof notificationSchema>;

export const notificationListSchema = z.object({ notifications: z.array(notificationSchema), unread: z.number().int() });
export type NotificationList = z.infer<typeof notificationListSchema>;

export const notificationsReadSchema = z.object({ marked: z.number().int(), unread: z.literal(0) });

// ── Chats that added the customer's bot: GET /api/user/discovered-chats ─────────────────────
// A sender bot was added to a group or channel the customer has not listed (Telegram's
// my_chat_member update): offered with the ref to list it by.
export const discoveredChatSchema = z.object({
  id: idSchema,
  /** Telegram's chat id, as a string (it may exceed 2^53). */
  chatId: z.string(),
  chatType: z.string(),
  title: z.string().nullable(),
  username: z.string().nullable(),
  /** What to add to the chat list: `@username` when the chat has one, else its numeric id. */
  ref: z.string(),
  /** The bot that was added. */
  senderUsername: z.string().nullable(),
  addedAt: isoDateTime,
});
export type DiscoveredChat = z.infer<typeof discoveredChatSchema>;
export const discoveredChatListSchema = z.object({ chats: z.array(discoveredChatSchema) });
export type DiscoveredChatList = z.infer<typeof discoveredChatListSchema>;

// ── Delivery log: GET /api/user/posts and GET /api/user/posts.csv ──────────────────────────
// Every post the engine made for the customer, newest first. Paged by an opaque cursor (keyset on
// the claim time and the post id), not by offset: a page costs the same at post 10 and at post
// 1,000,000, and new posts arriving while someone pages never shift a row onto the next page.

/** At most this many rows per page of GET /api/user/posts. */
export const DELIVERY_PAGE_MAX = 100;
export const DELIVERY_PAGE_DEFAULT = 50;
/** GET /api/user/posts.csv stops after this many rows: narrow the dates for more. */
export const DELIVERY_CSV_MAX_ROWS = 100_000;

export const deliveryResultSchema = z.enum(['sent', 'failed', 'unconfirmed', 'sending']);
export type DeliveryResult = z.infer<typeof deliveryResultSchema>;

/** The filters both routes take; `from` inclusive, `to` exclusive, on the time the post was made. */
export const deliveryFilterSchema = z.object({
  /** A chat as the customer's list names it (its `ref`, e.g. '@mygroup' or '-100123'). */
  chat: z.string().trim().min(1).max(200).optional(),
  result: deliveryResultSchema.optional(),
  from: isoDateTime.optional(),
  to: isoDateTime.optional(),
});
export type DeliveryFilter = z.infer<typeof deliveryFilterSchema>;

export const deliveryPageQuerySchema = deliveryFilterSchema.extend({
  limit: z.coerce
    .number({ error: 'limit must be a number' })
    .int('limit must be a whole number')
    .min(1, 'limit must be at least 1')
    .max(DELIVERY_PAGE_MAX, `limit is at most ${DELIVERY_PAGE_MAX}`)
    .default(DELIVERY_PAGE_DEFAULT),
  /** `nextCursor` of the previous page; absent for the newest page. */
  cursor: z.string().max(200).optional(),
});
export type DeliveryPageQuery = z.input<typeof deliveryPageQuerySchema>;

export const deliverySchema = z.object({
  id: idSchema,
  /** When it went out (Telegram's answer), else when the engine took the slot. */
  at: isoDateTime,
  /** When the chat was due; null for posts made before due times were kept. */
  dueAt: isoDateTime.nullable(),
  chatRef: z.string(),
  chatTitle: z.string().nullable(),
  /** The sender bot's @username, without the @. */
  botUsername: z.string().nullable(),
  result: deliveryResultSchema,
  error: z.string().nullable(),
  /** The message on Telegram, where Telegram gives a link (public chats and supergroups). */
  url: z.string().nullable(),
});
export type Delivery = z.infer<typeof deliverySchema>;

export const deliveryPageSchema = z.object({ posts: z.array(deliverySchema), nextCursor: z.string().nullable() }).meta({ id: 'DeliveryPage' });
export type DeliveryPage = z.infer<typeof deliveryPageSchema>;

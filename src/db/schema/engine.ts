// Owner: the engine module: the chats an adbot posts to, and every post (one per chat and slot).
import { sql } from 'drizzle-orm';
import { bigint, index, integer, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { adbots } from './adbots.js';
import { createdAt, id, ts } from './columns.js';
import { senders } from './stock.js';

export const targetChats = pgTable(
  'target_chats',
  {
    id: id(),
    adbotId: uuid('adbot_id')
      .notNull()
      .references(() => adbots.id),
    ref: text('ref').notNull(),
    chatId: bigint('chat_id', { mode: 'bigint' }),
    username: text('username'),
    title: text('title'),
    chatType: text('chat_type'),
    senderId: uuid('sender_id').references(() => senders.id),
    status: text('status', { enum: ['pending', 'ok', 'no_access', 'not_found', 'error'] })
      .notNull()
      .default('pending'),
    lastError: text('last_error'),
    lastPostAt: ts('last_post_at'),
    nextPostAt: ts('next_post_at'),
    lastCheckedAt: ts('last_checked_at'),
    position: integer('position').notNull().default(0),
    // The chat's own slot counter: each claim takes the next number, and (chat, slot) is unique in posts.
    postSeq: bigint('post_seq', { mode: 'number' }).notNull().default(0),
    // Telegram's slow_mode_delay, read at check time: the chat's interval is never shorter than this.
    slowModeSeconds: integer('slow_mode_seconds').notNull().default(0),
    // Chats that cannot be posted to (no_access, not_found, error) are looked at again on their own, with back-off.
    checkFailures: integer('check_failures').notNull().default(0),
    nextCheckAt: ts('next_check_at'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('target_chats_adbot_ref_uq').on(t.adbotId, t.ref),
    // The engine's due query: only chats that may be posted to, in due order.
    index('target_chats_due_idx').on(t.nextPostAt.asc().nullsFirst()).where(sql`${t.status} = 'ok' and ${t.position} >= 0`),
    index('target_chats_check_idx').on(t.nextCheckAt).where(sql`${t.status} <> 'ok' and ${t.position} >= 0`),
    index('target_chats_sender_idx').on(t.senderId),
  ],
);

/** Chats a sender bot was added to (from Telegram's my_chat_member updates) that the customer has not listed: offered in the dashboard. */
export const discoveredChats = pgTable(
  'discovered_chats',
  {
    id: id(),
    adbotId: uuid('adbot_id')
      .notNull()
      .references(() => adbots.id),
    senderId: uuid('sender_id').references(() => senders.id),
    chatId: bigint('chat_id', { mode: 'bigint' }).notNull(),
    chatType: text('chat_type').notNull(),
    title: text('title'),
    username: text('username'),
    // 'member': the bot is in the chat now; 'left': it was removed since.
    status: text('status', { enum: ['member', 'left'] }).notNull(),
    createdAt: createdAt(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('discovered_chats_adbot_chat_uq').on(t.adbotId, t.chatId)],
);

export const posts = pgTable(
  'posts',
  {
    id: id(),
    adbotId: uuid('adbot_id')
      .notNull()
      .references(() => adbots.id),
    targetChatId: uuid('target_chat_id')
      .notNull()
      .references(() => targetChats.id),
    senderId: uuid('sender_id').references(() => senders.id),
    // floor(epoch seconds / interval): the unique (chat, slot) pair is what stops a double post.
    slot: bigint('slot', { mode: 'number' }).notNull(),
    // 'unconfirmed': left 'sending' by a worker that stopped after the Bot API call (counted as sent, no link).
    status: text('status', { enum: ['sending', 'sent', 'unconfirmed', 'failed'] }).notNull(),
    telegramMessageId: bigint('telegram_message_id', { mode: 'number' }),
    messageUrl: text('message_url'),
    error: text('error'),
    createdAt: createdAt(),
    // When the chat was due: lag = created_at (the claim) - due_at.
    dueAt: ts('due_at'),
    sentAt: ts('sent_at'),
  },
  (t) => [
    uniqueIndex('posts_chat_slot_uq').on(t.targetChatId, t.slot),
    index('posts_adbot_created_idx').on(t.adbotId, t.createdAt),
    index('posts_chat_created_idx').on(t.targetChatId, t.createdAt),
    // The engine looks for abandoned 'sending' rows every tick: a handful among millions of posts.
    index('posts_sending_idx').on(t.createdAt).where(sql`${t.status} = 'sending'`),
  ],
);

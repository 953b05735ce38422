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
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('target_chats_adbot_ref_uq').on(t.adbotId, t.ref)],
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
    sentAt: ts('sent_at'),
  },
  (t) => [
    uniqueIndex('posts_chat_slot_uq').on(t.targetChatId, t.slot),
    index('posts_adbot_created_idx').on(t.adbotId, t.createdAt),
    // The engine looks for abandoned 'sending' rows every tick: a handful among millions of posts.
    index('posts_sending_idx').on(t.createdAt).where(sql`${t.status} = 'sending'`),
  ],
);

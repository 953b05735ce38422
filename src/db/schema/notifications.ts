// Owner: the notifications senders (src/platform/notifications) and the notifications module: in-app notifications and emails.
import { index, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users } from './accounts.js';
import { createdAt, id, ts } from './columns.js';

export const notifications = pgTable(
  'notifications',
  {
    id: id(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    kind: text('kind').notNull(),
    title: text('title').notNull(),
    body: text('body').notNull(),
    // One notification per (user, dedupe key): a retried job never notifies twice.
    dedupeKey: text('dedupe_key'),
    readAt: ts('read_at'),
    createdAt: createdAt(),
  },
  (t) => [index('notifications_user_idx').on(t.userId, t.createdAt), uniqueIndex('notifications_dedupe_uq').on(t.userId, t.dedupeKey)],
);

export const emails = pgTable('emails', {
  id: id(),
  toAddress: text('to_address').notNull(),
  subject: text('subject').notNull(),
  /** As people may read it: access codes and other secrets masked (see mask-secret.ts). */
  bodyText: text('body_text').notNull(),
  /** The full message, AES-GCM sealed, only while it waits to be sent; null once it is sent or filed. */
  sealedMessage: text('sealed_message'),
  status: text('status', { enum: ['queued', 'sent', 'outbox', 'failed'] })
    .notNull()
    .default('queued'),
  dedupeKey: text('dedupe_key').unique(),
  error: text('error'),
  createdAt: createdAt(),
  sentAt: ts('sent_at'),
});

// Owner: the adbots module: one adbot per customer.
import { integer, jsonb, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { users } from './accounts.js';
import { plans } from './catalog.js';
import { createdAt, id, ts, updatedAt } from './columns.js';

export const adbots = pgTable('adbots', {
  id: id(),
  userId: uuid('user_id')
    .notNull()
    .unique()
    .references(() => users.id),
  planId: uuid('plan_id')
    .notNull()
    .references(() => plans.id),
  status: text('status', { enum: ['running', 'stopped', 'expired', 'suspended'] })
    .notNull()
    .default('stopped'),
  postingIntervalSeconds: integer('posting_interval_seconds').notNull(),
  senderCount: integer('sender_count').notNull(),
  expiresAt: ts('expires_at').notNull(),
  post: jsonb('post').$type<Record<string, unknown>>(),
  remindedFor: jsonb('reminded_for').$type<Record<string, string>>().notNull().default({}),
  sendersReleasedAt: ts('senders_released_at'),
  // An error in the ad itself (a dead image, a deleted source post): the ad is paused until it is edited.
  adError: text('ad_error'),
  adErrorAt: ts('ad_error_at'),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

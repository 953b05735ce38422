// Owner: the stock module: the sender bots, from unused to assigned.
import { sql } from 'drizzle-orm';
import { bigint, boolean, index, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { adbots } from './adbots.js';
import { orders } from './checkout.js';
import { createdAt, id, ts, updatedAt } from './columns.js';

export const senders = pgTable(
  'senders',
  {
    id: id(),
    telegramBotId: bigint('telegram_bot_id', { mode: 'bigint' }).notNull().unique(),
    username: text('username').notNull(),
    tokenEncrypted: text('token_encrypted').notNull(),
    isSandbox: boolean('is_sandbox').notNull().default(false),
    state: text('state', { enum: ['unused', 'reserved', 'assigned', 'frozen', 'banned'] })
      .notNull()
      .default('unused'),
    orderId: uuid('order_id').references(() => orders.id),
    adbotId: uuid('adbot_id').references(() => adbots.id),
    frozenUntil: ts('frozen_until'),
    lastError: text('last_error'),
    // The engine worker that drives this bot (sends, reads its updates) until lease_until; see sender-lease.ts.
    leaseOwner: text('lease_owner'),
    leaseUntil: ts('lease_until'),
    // getUpdates offset: the next update_id to ask for.
    updatesOffset: bigint('updates_offset', { mode: 'number' }),
    // The webhook URL set with setWebhook, null while the bot is read by getUpdates.
    webhookUrl: text('webhook_url'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('senders_state_idx').on(t.state),
    index('senders_order_idx').on(t.orderId),
    index('senders_adbot_idx').on(t.adbotId),
    index('senders_lease_idx').on(t.leaseOwner),
    // A checkout picks the first unused senders in this order (stock/reserve-senders.ts): read in
    // index order it stops at the few it takes, where the state index made it sort every unused one.
    index('senders_unused_pick_idx').on(t.createdAt, t.username, t.id).where(sql`${t.state} = 'unused'`),
  ],
);

/** Engine workers alive now (heartbeat, written with the leases): sender leases are shared fairly among them. */
export const engineWorkers = pgTable('engine_workers', {
  id: text('id').primaryKey(),
  seenAt: ts('seen_at').notNull().defaultNow(),
});

// Owner: the checkout module: orders and their lifecycle.
import { bigserial, boolean, index, integer, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { purchaseKinds } from '../../shared/purchase-kind.js';
import { users } from './accounts.js';
import { plans } from './catalog.js';
import { createdAt, id, ts, updatedAt } from './columns.js';
import { resellers } from './resellers.js';

export const orders = pgTable(
  'orders',
  {
    id: id(),
    orderNumber: bigserial('order_number', { mode: 'number' }).notNull().unique(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    planId: uuid('plan_id')
      .notNull()
      .references(() => plans.id),
    // Decided once at checkout (src/shared/purchase-kind.ts); fulfilment and its messages read it.
    kind: text('kind', { enum: purchaseKinds }).notNull(),
    // Snapshot of the catalog at order time: later plan edits never change what was sold.
    planSlug: text('plan_slug').notNull(),
    planName: text('plan_name').notNull(),
    priceCents: integer('price_cents').notNull(),
    senders: integer('senders').notNull(),
    postingIntervalSeconds: integer('posting_interval_seconds').notNull(),
    validityDays: integer('validity_days').notNull(),
    sendersToReserve: integer('senders_to_reserve').notNull(),
    status: text('status', {
      enum: ['pending', 'partially_paid', 'paid', 'fulfilled', 'expired', 'failed', 'refunded', 'cancelled'],
    })
      .notNull()
      .default('pending'),
    backordered: boolean('backordered').notNull().default(false),
    payCurrency: text('pay_currency').notNull(),
    resellerId: uuid('reseller_id').references(() => resellers.id),
    checkoutSecretHash: text('checkout_secret_hash').unique(),
    checkoutSecretExpiresAt: ts('checkout_secret_expires_at'),
    checkoutSecretUsedAt: ts('checkout_secret_used_at'),
    reservationExpiresAt: ts('reservation_expires_at'),
    paidAt: ts('paid_at'),
    fulfilledAt: ts('fulfilled_at'),
    // Paid for a different plan than the one running: added to it as this many days instead.
    creditedDays: integer('credited_days'),
    // Shown once to the paying browser through the checkout secret, then cleared.
    pendingAccessCode: text('pending_access_code'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('orders_user_idx').on(t.userId), index('orders_status_idx').on(t.status)],
);

// Owner: the payments module: one payment per order, and every provider event received.
import { boolean, index, integer, jsonb, numeric, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { orders } from './checkout.js';
import { createdAt, id, ts, updatedAt } from './columns.js';

export const payments = pgTable(
  'payments',
  {
    id: id(),
    orderId: uuid('order_id')
      .notNull()
      .unique()
      .references(() => orders.id),
    provider: text('provider', { enum: ['nowpayments', 'sandbox'] }).notNull(),
    providerPaymentId: text('provider_payment_id').unique(),
    status: text('status', {
      enum: ['creating', 'waiting', 'confirming', 'confirmed', 'sending', 'partially_paid', 'finished', 'failed', 'refunded', 'expired'],
    })
      .notNull()
      .default('creating'),
    payAddress: text('pay_address'),
    // Coin amounts: exact decimals (numeric), read as strings and computed with big.js.
    payAmount: numeric('pay_amount'),
    payCurrency: text('pay_currency').notNull(),
    priceCents: integer('price_cents').notNull(),
    actuallyPaid: numeric('actually_paid'),
    surplusAmount: numeric('surplus_amount'),
    expiresAt: ts('expires_at'),
    lastCheckedAt: ts('last_checked_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('payments_status_idx').on(t.status)],
);

export const paymentEvents = pgTable(
  'payment_events',
  {
    id: id(),
    source: text('source', { enum: ['ipn', 'poll', 'replay', 'simulate', 'admin'] }).notNull(),
    providerPaymentId: text('provider_payment_id'),
    orderId: uuid('order_id'),
    status: text('status'),
    signatureValid: boolean('signature_valid').notNull(),
    verdict: text('verdict').notNull(),
    rawBody: text('raw_body').notNull(),
    headers: jsonb('headers').$type<Record<string, string>>(),
    receivedAt: createdAt(),
  },
  (t) => [index('payment_events_order_idx').on(t.orderId)],
);

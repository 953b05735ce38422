// Owner: the payments module: an order's invoice payment, the re-deposits NOWPayments makes as
// child payments of it, and every provider event received.
import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, numeric, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { orders } from './checkout.js';
import { createdAt, id, ts, updatedAt } from './columns.js';

export const payments = pgTable(
  'payments',
  {
    id: id(),
    orderId: uuid('order_id')
      .notNull()
      .references(() => orders.id),
    // Set on a re-deposit: NOWPayments' `parent_payment_id`, the invoice payment it tops up.
    // Null on the invoice itself (one per order).
    parentProviderPaymentId: text('parent_provider_payment_id'),
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
    // The coin's network (eth, trx, bsc…) and the memo/tag a coin like XRP or TON needs.
    network: text('network'),
    payinExtraId: text('payin_extra_id'),
    priceCents: integer('price_cents').notNull(),
    actuallyPaid: numeric('actually_paid'),
    surplusAmount: numeric('surplus_amount'),
    // When the payment itself lapses (NOWPayments' `valid_until`).
    expiresAt: ts('expires_at'),
    // When the coin amount quoted stops holding (`expiration_estimate_date`); refreshed while the buyer waits.
    estimateExpiresAt: ts('estimate_expires_at'),
    lastCheckedAt: ts('last_checked_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('payments_status_idx').on(t.status),
    index('payments_order_idx').on(t.orderId),
    uniqueIndex('payments_order_invoice_uq').on(t.orderId).where(sql`${t.parentProviderPaymentId} is null`),
  ],
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
  (t) => [
    index('payment_events_order_idx').on(t.orderId),
    // The admins' list of payments nobody claims (list-unmatched-payments.ts) reads only these.
    index('payment_events_unknown_idx').on(t.providerPaymentId).where(sql`${t.verdict} = 'unknown_payment'`),
  ],
);

// Payments owns the payments and payment_events tables: checkout opens a payment and records its
// invoice through these functions, and every audit row of a delivery is written by recordPaymentEvent.
import { and, eq, type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { namedQuery } from '../../db/named-query.js';
import { preparedSql } from '../../db/prepared.js';
import { paymentEvents, payments } from '../../db/schema.js';
import type { ReceivedRow } from './order-received.js';

/**
 * The order's payment, `creating` until the provider's invoice is recorded, as a part of the
 * caller's statement (checkout's order insert): one for each row of `orders`, a CTE of the new orders' `id`s. Values may be placeholders.
 */
export function openPaymentsFor(orders: SQL, values: { provider: unknown; payCurrency: unknown; priceCents: unknown }): SQL {
  return sql`insert into ${payments} (order_id, provider, pay_currency, price_cents, status)
    select id, ${values.provider}::text, ${values.payCurrency}::text, ${values.priceCents}::int, 'creating' from ${orders}`;
}

export type InvoiceRecord = {
  providerPaymentId: string;
  payAddress: string;
  payAmount: string;
  payCurrency: string;
  /** When the provider stops watching the address (NOWPayments' valid_until). */
  expiresAt: Date;
  /** When the quoted payAmount lapses (expiration_estimate_date); refreshStaleEstimates renews it. */
  estimateExpiresAt?: Date | null;
  network?: string | null;
  payinExtraId?: string | null;
};

/** The caller's own write that commits with the invoice: its SQL (placeholders, built once), its name and its values. */
export type InvoiceAlso = { name: string; sql: () => SQL; values: Record<string, unknown> };

/**
 * The provider made the invoice: the payment waits for money. Only a payment still `creating`.
 * `also` is the caller's own write that must commit with it (checkout's order update, built by
 * checkout): one statement, two data-modifying CTEs, so both or neither without a transaction.
 * Every checkout records one: prepared once (src/db/prepared.ts), the caller's fragment with
 * it, under the caller's name. The invoice's placeholders (`orderId`, `expiresAt`, …) are the
 * fragment's to use too.
 */
export async function recordInvoice(db: DbOrTx, orderId: string, invoice: InvoiceRecord, also?: InvoiceAlso): Promise<void> {
  const values = {
    orderId,
    providerPaymentId: invoice.providerPaymentId,
    payAddress: invoice.payAddress,
    payAmount: invoice.payAmount,
    payCurrency: invoice.payCurrency,
    expiresAt: invoice.expiresAt.toISOString(),
    estimateExpiresAt: invoice.estimateExpiresAt?.toISOString() ?? null,
    network: invoice.network ?? null,
    payinExtraId: invoice.payinExtraId ?? null,
    updatedAt: new Date().toISOString(),
  };
  if (!also) {
    await preparedSql(db, 'payment_record_invoice', (d) => invoiceUpdate(d).getSQL()).execute(values);
    return;
  }
  await preparedSql(db, also.name, (d) => sql`with also as (${also.sql()}) ${invoiceUpdate(d).getSQL()}`).execute({ ...also.values, ...values });
}

function invoiceUpdate(db: DbOrTx) {
  const p = sql.placeholder;
  return db
    .update(payments)
    .set({
      providerPaymentId: sql`${p('providerPaymentId')}`,
      payAddress: sql`${p('payAddress')}`,
      payAmount: sql`${p('payAmount')}`,
      payCurrency: sql`${p('payCurrency')}`,
      expiresAt: sql`${p('expiresAt')}`,
      estimateExpiresAt: sql`${p('estimateExpiresAt')}`,
      network: sql`${p('network')}`,
      payinExtraId: sql`${p('payinExtraId')}`,
      status: 'waiting',
      updatedAt: sql`${p('updatedAt')}`,
    })
    .where(and(eq(payments.orderId, p('orderId')), eq(payments.status, 'creating')));
}

/**
 * A renewed rate estimate for a waiting invoice: the new coin amount and when it lapses, with its
 * audit row. Only while still `waiting`: once money is on its way the amount asked must not move.
 */
export async function recordRenewedEstimate(
  db: DbOrTx,
  payment: { id: string; orderId: string; providerPaymentId: string },
  estimate: { payAmount: string; estimateExpiresAt: Date | null },
): Promise<boolean> {
  const updated = await db
    .update(payments)
    .set({ payAmount: estimate.payAmount, estimateExpiresAt: estimate.estimateExpiresAt, updatedAt: new Date() })
    .where(and(eq(payments.id, payment.id), eq(payments.status, 'waiting')))
    .returning({ id: payments.id });
  if (updated.length === 0) return false;
  await db.insert(paymentEvents).values({
    source: 'poll',
    providerPaymentId: payment.providerPaymentId,
    orderId: payment.orderId,
    status: 'waiting',
    signatureValid: true,
    verdict: 'estimate_renewed',
    rawBody: JSON.stringify(estimate),
  });
  return true;
}

/** The invoice could not be made: a payment still `creating` fails (false when it was not). */
export async function failPaymentBeingCreated(db: DbOrTx, orderId: string): Promise<boolean> {
  const failed = await db
    .update(payments)
    .set({ status: 'failed', updatedAt: new Date() })
    .where(and(eq(payments.orderId, orderId), eq(payments.status, 'creating')))
    .returning({ id: payments.id });
  return failed.length > 0;
}

/** Marks a payment as checked by the poller even when nothing changed. */
export async function touchPaymentChecked(db: DbOrTx, paymentId: string): Promise<void> {
  await db.update(payments).set({ lastCheckedAt: sql`now()` }).where(eq(payments.id, paymentId));
}

export type PaymentEventRecord = typeof paymentEvents.$inferInsert;

/** One audit row: a delivery, a poll answer, a replay or an admin's record, with its verdict. */
export async function recordPaymentEvent(db: DbOrTx, event: PaymentEventRecord): Promise<string> {
  const [row] = await db.insert(paymentEvents).values(event).returning({ id: paymentEvents.id });
  return row!.id;
}

/** What an applied status writes: every field but the poll's check time, which only a poll sets. */
export type PaymentStatusSet = Required<Pick<typeof payments.$inferInsert, 'status' | 'actuallyPaid' | 'payAmount' | 'updatedAt'>> &
  Pick<typeof payments.$inferInsert, 'lastCheckedAt'>;

/** Another payment of the same order, as the order-received sum reads it. */
export type SiblingPayment = ReceivedRow & { id: string };

export type SetPaymentStatusOptions = {
  paymentId: string;
  orderId: string;
  set: PaymentStatusSet;
  /** The audit row to write with the status (both or neither). */
  event?: PaymentEventRecord;
};

const STATUS_UPDATE = `update payments set status = $2, actually_paid = $3, pay_amount = $4, updated_at = $5,
    last_checked_at = coalesce($6::timestamptz, last_checked_at) where id = $1`;
// Amounts as text: JSON numbers would round them.
const SIBLINGS = `coalesce((select json_agg(json_build_object(
      'id', q.id, 'parentProviderPaymentId', q.parent_provider_payment_id, 'status', q.status, 'payCurrency', q.pay_currency,
      'payAmount', q.pay_amount::text, 'actuallyPaid', q.actually_paid::text))
      from payments q where q.order_id = $7 and q.id <> $1), '[]'::json) as siblings`;
const SET_STATUS_SQL = `with up as (${STATUS_UPDATE}) select null::uuid as "eventId", ${SIBLINGS}`;
const SET_STATUS_WITH_EVENT_SQL = `with up as (${STATUS_UPDATE}),
  ev as (insert into payment_events (source, provider_payment_id, order_id, status, signature_valid, verdict, raw_body, headers)
    values ($8, $9, $10, $11, $12, $13, $14, $15::jsonb) returning id)
  select (select id from ev) as "eventId", ${SIBLINGS}`;

/**
 * The payment's new status, its audit row when there is one, and the order's other payments,
 * in one statement (data-modifying CTEs): one round trip on the path every applied status
 * takes, hand-written and named (src/db/named-query.ts) so it is parsed and planned once per
 * connection. The caller holds the order's lock, and every status change takes it first, so this
 * statement's snapshot already has every sibling's latest status; it shows the payment itself
 * as it was (CTEs share one snapshot), hence `id <> paymentId`: the caller knows its new state.
 */
export async function setPaymentStatus(
  db: DbOrTx,
  { paymentId, orderId, set, event }: SetPaymentStatusOptions,
): Promise<{ eventId?: string; siblings: SiblingPayment[] }> {
  const values: unknown[] = [
    paymentId,
    set.status,
    set.actuallyPaid,
    set.payAmount,
    set.updatedAt.toISOString(),
    set.lastCheckedAt ? set.lastCheckedAt.toISOString() : null,
    orderId,
  ];
  if (event) {
    values.push(
      event.source,
      event.providerPaymentId ?? null,
      event.orderId ?? null,
      event.status ?? null,
      event.signatureValid,
      event.verdict,
      event.rawBody,
      event.headers ? JSON.stringify(event.headers) : null,
    );
  }
  const [row] = event
    ? await namedQuery<SetStatusRow>(db, 'payment_set_status_with_event', SET_STATUS_WITH_EVENT_SQL, values)
    : await namedQuery<SetStatusRow>(db, 'payment_set_status', SET_STATUS_SQL, values);
  // node-postgres and PGlite both parse json; a driver that does not hands back text.
  const siblings = typeof row!.siblings === 'string' ? (JSON.parse(row!.siblings) as SiblingPayment[]) : row!.siblings;
  return { ...(row!.eventId ? { eventId: row!.eventId } : {}), siblings };
}

type SetStatusRow = { eventId: string | null; siblings: SiblingPayment[] | string };

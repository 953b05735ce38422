// Payments owns the payments and payment_events tables: checkout opens a payment and records its
// invoice through these functions, and every audit row of a delivery is written by recordPaymentEvent.
import { and, eq, type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { paymentEvents, payments } from '../../db/schema.js';
import type { ReceivedRow } from './order-received.js';

export type OpenPaymentOptions = { orderId: string; provider: 'nowpayments' | 'sandbox'; payCurrency: string; priceCents: number };

/** The order's payment, `creating` until the provider's invoice is recorded. */
export async function openPayment(db: DbOrTx, values: OpenPaymentOptions): Promise<void> {
  await db.insert(payments).values({ ...values, status: 'creating' });
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

/**
 * The provider made the invoice: the payment waits for money. Only a payment still `creating`.
 * `with` is the caller's own write that must commit with it (checkout's order update, built by
 * checkout): one statement, two data-modifying CTEs, so both or neither without a transaction.
 */
export async function recordInvoice(db: DbOrTx, orderId: string, invoice: InvoiceRecord, write?: { getSQL(): SQL }): Promise<void> {
  const update = db
    .update(payments)
    .set({ ...invoice, status: 'waiting', updatedAt: new Date() })
    .where(and(eq(payments.orderId, orderId), eq(payments.status, 'creating')));
  if (!write) {
    await update;
    return;
  }
  await db.execute(sql`with also as (${write.getSQL()}) ${update.getSQL()}`);
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

export type PaymentStatusSet = Partial<Pick<typeof payments.$inferInsert, 'status' | 'actuallyPaid' | 'payAmount' | 'updatedAt' | 'lastCheckedAt'>>;

/** Another payment of the same order, as the order-received sum reads it. */
export type SiblingPayment = ReceivedRow & { id: string };

export type SetPaymentStatusOptions = {
  paymentId: string;
  orderId: string;
  set: PaymentStatusSet;
  /** The audit row to write with the status (both or neither). */
  event?: PaymentEventRecord;
};

/**
 * The payment's new status, its audit row when there is one, and the order's other payments,
 * in one statement (data-modifying CTEs): one round trip on the path every applied status
 * takes. The caller holds the order's lock, and every status change takes it first, so this
 * statement's snapshot already has every sibling's latest status; it shows the payment itself
 * as it was (CTEs share one snapshot), hence `id <> paymentId`: the caller knows its new state.
 */
export async function setPaymentStatus(
  db: DbOrTx,
  { paymentId, orderId, set, event }: SetPaymentStatusOptions,
): Promise<{ eventId?: string; siblings: SiblingPayment[] }> {
  const update = db.update(payments).set(set).where(eq(payments.id, paymentId));
  const insert = event ? sql`, ev as (${db.insert(paymentEvents).values(event).returning({ id: paymentEvents.id }).getSQL()})` : sql``;
  const eventId = event ? sql`(select id from ev)` : sql`null::uuid`;
  // Amounts as text: JSON numbers would round them.
  const res = (await db.execute(sql`with up as (${update.getSQL()})${insert}
    select ${eventId} as "eventId", coalesce((select json_agg(json_build_object(
      'id', q.id, 'parentProviderPaymentId', q.parent_provider_payment_id, 'status', q.status, 'payCurrency', q.pay_currency,
      'payAmount', q.pay_amount::text, 'actuallyPaid', q.actually_paid::text))
      from ${payments} q where q.order_id = ${orderId} and q.id <> ${paymentId}), '[]'::json) as siblings`)) as unknown as {
    rows: { eventId: string | null; siblings: SiblingPayment[] | string }[];
  };
  const row = res.rows[0]!;
  // node-postgres and PGlite both parse json; a driver that does not hands back text.
  const siblings = typeof row.siblings === 'string' ? (JSON.parse(row.siblings) as SiblingPayment[]) : row.siblings;
  return { ...(row.eventId ? { eventId: row.eventId } : {}), siblings };
}

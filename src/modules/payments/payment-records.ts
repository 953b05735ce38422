// Payments owns the payments and payment_events tables: checkout opens a payment and records its
// invoice through these functions, and every audit row of a delivery is written by recordPaymentEvent.
import { and, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { paymentEvents, payments } from '../../db/schema.js';

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

/** The provider made the invoice: the payment waits for money. Only a payment still `creating`. */
export async function recordInvoice(db: DbOrTx, orderId: string, invoice: InvoiceRecord): Promise<void> {
  await db
    .update(payments)
    .set({ ...invoice, status: 'waiting', updatedAt: new Date() })
    .where(and(eq(payments.orderId, orderId), eq(payments.status, 'creating')));
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

/**
 * The audit row and the payment's new status in one statement (two data-modifying CTEs):
 * one round trip on the path every applied status takes, and still both or neither.
 */
export async function recordPaymentEventWithStatus(db: DbOrTx, event: PaymentEventRecord, paymentId: string, set: PaymentStatusSet): Promise<string> {
  const insert = db.insert(paymentEvents).values(event).returning({ id: paymentEvents.id });
  const update = db.update(payments).set(set).where(eq(payments.id, paymentId));
  const res = (await db.execute(sql`with ev as (${insert.getSQL()}), up as (${update.getSQL()}) select id from ev`)) as unknown as {
    rows: { id: string }[];
  };
  return res.rows[0]!.id;
}

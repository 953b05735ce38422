// What an order has received across its payments: the invoice NOWPayments made at checkout and
// every re-deposit it recorded as a child payment of it (same address, same coin). An order is
// paid when what arrived covers the invoice's pay_amount within the underpaid tolerance.
import Big from 'big.js';
import { eq } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { payments } from '../../db/schema.js';
import type { PaymentStatus } from './payment-status.js';

type PaymentRow = typeof payments.$inferSelect;
/** What the sum reads of each payment. */
export type ReceivedRow = Pick<PaymentRow, 'parentProviderPaymentId' | 'payCurrency' | 'payAmount' | 'actuallyPaid' | 'status'>;

/** Money the chain has settled for a payment (NOWPayments has stopped counting it). */
const settledStatuses: readonly PaymentStatus[] = ['partially_paid', 'finished'];
/** Seen on the chain, maybe still confirming. */
const seenStatuses: readonly PaymentStatus[] = ['confirming', 'confirmed', 'sending', 'partially_paid', 'finished'];

export type OrderReceived = {
  payCurrency: string;
  /** What the invoice asks for, in the coin; null before the invoice exists. */
  due: string | null;
  /** Settled, across the invoice and its re-deposits, in the invoice's coin. */
  received: string;
  /** Seen on the chain (settled or still confirming). */
  seen: string;
  /** What is still missing (0 once covered); null without an invoice. */
  missing: string | null;
  /** Above what was due; null when none. */
  surplus: string | null;
  /** Covered within the tolerance: the order is paid. */
  covered: boolean;
};

export type SummariseOptions = {
  /** Short of `due` by at most this percentage still covers it. */
  tolerancePercent: number;
  /** Count `confirmed`/`sending` as settled too (NOWPAYMENTS_FULFIL_ON_CONFIRMED). */
  fulfilOnConfirmed?: boolean;
};

/** Pure: what a set of payments (the invoice and its children) adds up to. */
export function summariseReceived(rows: readonly ReceivedRow[], opts: SummariseOptions): OrderReceived | null {
  const invoice = rows.find((r) => r.parentProviderPaymentId === null);
  if (!invoice) return null;
  const coin = invoice.payCurrency.toLowerCase();
  const settledIn: readonly PaymentStatus[] = opts.fulfilOnConfirmed ? [...settledStatuses, 'confirmed', 'sending'] : settledStatuses;
  let received = new Big(0);
  let seen = new Big(0);
  let invoiceFinished = false;
  for (const r of rows) {
    if (r.payCurrency.toLowerCase() !== coin) continue;
    const paid = r.actuallyPaid ? new Big(r.actuallyPaid) : new Big(0);
    if (seenStatuses.includes(r.status)) seen = seen.plus(paid);
    if (settledIn.includes(r.status)) received = received.plus(paid);
    if (r === invoice && settledIn.includes(r.status) && r.status !== 'partially_paid') invoiceFinished = true;
  }
  const due = invoice.payAmount ? new Big(invoice.payAmount) : null;
  if (!due) return { payCurrency: coin, due: null, received: received.toString(), seen: seen.toString(), missing: null, surplus: null, covered: false };
  const floor = due.times(new Big(100).minus(opts.tolerancePercent)).div(100);
  // `finished` on the invoice is NOWPayments saying it is paid, whatever the fee took.
  const covered = invoiceFinished || received.gte(floor);
  const missing = received.gte(due) ? new Big(0) : due.minus(received);
  return {
    payCurrency: coin,
    due: due.toString(),
    received: received.toString(),
    seen: seen.toString(),
    missing: covered ? '0' : missing.toString(),
    surplus: received.gt(due) ? received.minus(due).toString() : null,
    covered,
  };
}

/** The order's payments, invoice and re-deposits alike. */
export async function listOrderPayments(db: DbOrTx, orderId: string): Promise<PaymentRow[]> {
  return db.select().from(payments).where(eq(payments.orderId, orderId));
}

export async function orderReceived(db: DbOrTx, orderId: string, opts: SummariseOptions): Promise<OrderReceived | null> {
  return summariseReceived(await listOrderPayments(db, orderId), opts);
}

// THE convergent step for payments: the IPN webhook, the reconciliation poller, the
// test-mode simulator and an admin replay all end here. The payment row lock plus the
// forward-only machine make duplicates, reorderings and races harmless. The audit row of what
// asked for the status (options.event) is written in the transaction that applies it.
// The commonest move (a lone invoice moving forward, its order paid or untouched) is decided
// from an unlocked read and written in one statement that first locks the rows and checks the
// read still holds (apply-in-one-statement.ts); everything else, and that move when the rows
// changed, takes the locked path.
import { eq, sql } from 'drizzle-orm';
import type { DbOrTx, Tx } from '../../db/client.js';
import { preparedFor } from '../../db/prepared.js';
import { orders, payments, users } from '../../db/schema.js';
import { compareAmounts } from '../../lib/coin-amount.js';
import { tickBatcher } from '../../lib/tick-batcher.js';
import type { AppContext } from '../../platform/app-context.js';
import { logActivity } from '../../platform/log-activity.js';
import { receivedRule } from '../checkout/list-customer-orders.js';
import { type UnlockedRead, writeInOneStatement } from './apply-in-one-statement.js';
import { alertPaidAfterRefund, applyToOrder, orderMoveOf, type PaymentEventSource } from './apply-to-order.js';
import { alertUnknownPayment, lockOrLinkPayment } from './link-payment.js';
import { summariseReceived } from './order-received.js';
import { type PaymentEventRecord, type PaymentStatusSet, recordPaymentEvent, setPaymentStatus } from './payment-records.js';
import { canMove, type PaymentStatus, type ProviderStatus } from './payment-status.js';

export type { PaymentEventSource } from './apply-to-order.js';

export type ApplyVerdict = 'applied' | 'duplicate' | 'ignored' | 'changed' | 'rejected_mismatch' | 'unknown_payment';

/** The audit row to keep with the verdict; `orderId` is the order we resolved, never a claimed one. */
export type ApplyEvent = {
  fields: Omit<PaymentEventRecord, 'verdict' | 'orderId'>;
  /** Record only these verdicts (default: every one). */
  onlyIf?: readonly ApplyVerdict[];
};

export type ApplyPaymentStatusOptions = {
  ctx: AppContext;
  providerPaymentId: string;
  status: ProviderStatus;
  actuallyPaid?: string | null;
  /** The amount the provider now asks for (it moves when the estimate is refreshed); kept current while open. */
  payAmount?: string | null;
  payCurrency?: string | null;
  /** NOWPayments' `parent_payment_id`: a re-deposit we have not seen is linked to its parent's order. */
  parentProviderPaymentId?: string | null;
  /** What the provider says the payment is for; each field present must match our records. */
  claimed?: { orderId?: string | null; priceAmount?: number | null; priceCurrency?: string | null };
  source: PaymentEventSource;
  /** Apply only if the payment is still in this status (an admin acting on what they saw). */
  expectedStatus?: PaymentStatus;
  /** Recorded in the status transaction (or on its own when the verdict needed none). */
  event?: ApplyEvent;
  /** Runs in the same transaction once the status is applied: the caller's own record commits with it. */
  onApplied?: (tx: Tx, applied: { paymentId: string; orderId: string; orderStatus: string }) => Promise<void>;
};

/** Statuses that mean money is arriving or has arrived. */
const payingStatuses: readonly ProviderStatus[] = ['confirming', 'confirmed', 'sending', 'partially_paid', 'finished'];

export type ApplyPaymentStatusResult = {
  verdict: ApplyVerdict;
  paymentId?: string;
  orderId?: string;
  status?: PaymentStatus;
  orderStatus?: string;
  /** Why a mismatch was refused. */
  reason?: string;
  /** The payment_events row written for options.event. */
  eventId?: string;
};

type Order = typeof orders.$inferSelect;
type Payment = typeof payments.$inferSelect;

export async function applyPaymentStatus(opts: ApplyPaymentStatusOptions): Promise<ApplyPaymentStatusResult> {
  const read = await readWithoutLock(opts);
  const early = read && answerWithoutLock(opts, read);
  if (early) return withEvent(opts.ctx.db, opts, early);
  const written = read && (await applyInOneStatement(opts, read));
  if (written) return written;
  return opts.ctx.db.transaction((tx) => applyLocked(tx, opts));
}

/**
 * Retry storms are mostly exact repeats: answer those without queueing on the row lock.
 * Statuses only move forward, so a repeat seen without the lock is a repeat with it too.
 * Null: not ours yet (a re-deposit or an adoption is decided under the lock), or a status
 * always decided there.
 */
export async function readWithoutLock(opts: ApplyPaymentStatusOptions): Promise<UnlockedRead | null> {
  if (opts.status === 'partially_paid' || opts.expectedStatus) return null;
  return (await seenBatcher(opts.ctx.db)(opts.providerPaymentId)) ?? null;
}

/**
 * The reads of one event-loop turn share one statement (tickBatcher): under load many IPNs are
 * parsed in one turn, and a read each cost every one its own pool checkout and round trip. Each
 * answer still comes from a statement that started after its IPN arrived.
 */
const seenBatchers = new WeakMap<object, (providerPaymentId: string) => Promise<UnlockedRead | undefined>>();

function seenBatcher(db: DbOrTx) {
  let load = seenBatchers.get(db);
  if (!load) {
    load = tickBatcher(async (ids: string[]) => {
      const rows = await preparedFor(db, 'payments_seen_by_provider_ids', seenQuery).execute({ ids });
      return new Map(rows.map((row) => [row.payment.providerPaymentId!, row]));
    });
    seenBatchers.set(db, load);
  }
  return load;
}

function answerWithoutLock(opts: ApplyPaymentStatusOptions, seen: UnlockedRead): ApplyPaymentStatusResult | null {
  const base = { paymentId: seen.payment.id, orderId: seen.order.id, status: seen.payment.status, orderStatus: seen.order.status };
  const mismatch = findMismatch(opts.claimed, seen.order, seen.payment);
  if (mismatch) return { ...base, verdict: 'rejected_mismatch', reason: mismatch };
  if (seen.payment.status === opts.status && !payAmountMoved(opts.payAmount, seen.payment)) return { ...base, verdict: 'duplicate' };
  return null;
}

/** Every distinct IPN asks this first, for all the IPNs of its turn: prepared once (src/db/prepared.ts). */
function seenQuery(db: DbOrTx) {
  return db
    .select({
      payment: payments,
      order: orders,
      email: users.email,
      paymentVersion: sql<string>`${payments}.xmin::text`,
      orderVersion: sql<string>`${orders}.xmin::text`,
      hasSiblings: sql<boolean>`exists (select 1 from ${payments} q where q.order_id = ${orders.id} and q.id <> ${payments.id})`,
    })
    .from(payments)
    .innerJoin(orders, eq(orders.id, payments.orderId))
    .innerJoin(users, eq(users.id, orders.userId))
    .where(sql`${payments.providerPaymentId} = any(${sql.placeholder('ids')}::text[])`)
    .prepare('payments_seen_by_provider_ids');
}

/**
 * The locked path's decision made from the unlocked read, and written in one statement if that
 * read still holds (apply-in-one-statement.ts): only a lone invoice moving forward, its order paid
 * (without surplus) or untouched. Null: anything else, or the read no longer holds; the locked
 * path decides again from what it locks.
 */
async function applyInOneStatement(opts: ApplyPaymentStatusOptions, read: UnlockedRead): Promise<ApplyPaymentStatusResult | null> {
  const { ctx, status } = opts;
  const { payment, order } = read;
  if (read.hasSiblings || payment.parentProviderPaymentId !== null || status === 'refunded' || opts.onApplied || !ctx.jobs.insertSql || !ctx.jobs.insertRows)
    return null;
  const actuallyPaid = maxPaid(opts.actuallyPaid ?? null, payment.actuallyPaid);
  if (refusalOf({ opts, order, payment, actuallyPaid })) return null;
  const set = statusSet(opts, payment, actuallyPaid);
  const received = summariseReceived([{ ...payment, ...set }], receivedRule(ctx));
  const move = orderMoveOf({ order, payment, status, received });
  const paid = move === 'paid' && !received?.surplus && (order.status === 'pending' || order.status === 'partially_paid');
  if (move !== 'none' && !paid) return null;
  const orderStatus = paid ? 'paid' : order.status;
  const verdict = 'applied' as const;
  const { event } = opts;
  const recorded = event && (!event.onlyIf || event.onlyIf.includes(verdict));
  const written = await writeInOneStatement({
    ctx,
    read,
    set,
    ...(recorded ? { event: { ...event.fields, orderId: order.id, verdict } } : {}),
    activity: statusActivity(opts, payment, order, actuallyPaid, orderStatus),
    paid,
  });
  if (!written.written) return null;
  const eventId = written.eventId;
  return { paymentId: payment.id, orderId: order.id, verdict, status, orderStatus, ...(eventId ? { eventId } : {}) };
}

async function applyLocked(tx: Tx, opts: ApplyPaymentStatusOptions): Promise<ApplyPaymentStatusResult> {
  const { ctx, providerPaymentId, status, source } = opts;
  const locked = await lockOrLinkPayment(tx, {
    providerPaymentId,
    parentProviderPaymentId: opts.parentProviderPaymentId ?? null,
    orderId: opts.claimed?.orderId ?? null,
    payAmount: opts.payAmount ?? null,
    payCurrency: opts.payCurrency ?? null,
  });
  if (!locked) {
    // The provider's word (a signed IPN or its API) about money nothing of ours claims: a person looks.
    if (source === 'ipn' || source === 'poll') {
      await alertUnknownPayment(tx, { providerPaymentId, status, actuallyPaid: opts.actuallyPaid ?? null, payCurrency: opts.payCurrency ?? null });
    }
    return withEvent(tx, opts, { verdict: 'unknown_payment' });
  }
  const { payment, order } = locked;

  // Money received never shrinks: a later event (an expiry IPN reporting 0) must not erase
  // what an earlier one counted, or the refund due on an underpaid-then-expired order is lost.
  const actuallyPaid = maxPaid(opts.actuallyPaid ?? null, payment.actuallyPaid);
  const refused = await refusal(tx, { opts, order, payment, actuallyPaid });
  if (refused) return withEvent(tx, opts, refused);

  // The audit row with the status, one statement: the writes below commit with it or not at all.
  const set = statusSet(opts, payment, actuallyPaid);
  const { eventId, siblings } = await setStatusWithEvent(tx, opts, { verdict: 'applied', paymentId: payment.id, orderId: order.id }, set);
  const updated = { ...payment, ...set };
  const orderStatus = await applyToOrder({ ctx, tx, order, payment: updated, siblings, status, actuallyPaid, source });
  await opts.onApplied?.(tx, { paymentId: payment.id, orderId: order.id, orderStatus });
  await logActivity({ db: tx, subjectType: 'order', subjectId: order.id, ...statusActivity(opts, payment, order, actuallyPaid, orderStatus) });
  return { paymentId: payment.id, orderId: order.id, verdict: 'applied', status, orderStatus, ...(eventId ? { eventId } : {}) };
}

type RefusalOptions = { opts: ApplyPaymentStatusOptions; order: Order; payment: Payment; actuallyPaid: string | null };

/** Why, under the lock, the status is not applied; null when it is. */
async function refusal(tx: Tx, { opts, order, payment, actuallyPaid }: RefusalOptions): Promise<ApplyPaymentStatusResult | null> {
  const refused = refusalOf({ opts, order, payment, actuallyPaid });
  if (refused?.alertAfterRefund) await alertPaidAfterRefund({ tx, order, payment, status: opts.status, actuallyPaid });
  return refused?.result ?? null;
}

/** The refusal alone; `alertAfterRefund`: money arrived on a refunded payment, and a person must hear of it. */
function refusalOf({ opts, order, payment, actuallyPaid }: RefusalOptions): { result: ApplyPaymentStatusResult; alertAfterRefund?: true } | null {
  const { status } = opts;
  const current = { paymentId: payment.id, orderId: order.id, status: payment.status, orderStatus: order.status };
  const mismatch = findMismatch(opts.claimed, order, payment);
  if (mismatch) return { result: { ...current, verdict: 'rejected_mismatch', reason: mismatch } };
  // The same status with more money (a partial growing) or a new quote is news, not a repeat.
  const morePaid = actuallyPaid !== null && (payment.actuallyPaid === null || compareAmounts(actuallyPaid, payment.actuallyPaid) > 0);
  if (payment.status === status && !morePaid && !payAmountMoved(opts.payAmount, payment)) return { result: { ...current, verdict: 'duplicate' } };
  // A late "confirming" about money already counted as settled is stale: applying it would
  // un-count that money. Only more money makes an underpaid invoice confirm again.
  if (payment.status === 'partially_paid' && (status === 'confirming' || status === 'confirmed' || status === 'sending') && !morePaid) {
    return { result: { ...current, verdict: 'ignored' } };
  }
  if (opts.expectedStatus && payment.status !== opts.expectedStatus) return { result: { ...current, verdict: 'changed' } };
  if (payment.status !== status && !canMove(payment.status, status)) {
    const alertAfterRefund = payment.status === 'refunded' && payingStatuses.includes(status);
    return { result: { ...current, verdict: 'ignored' }, ...(alertAfterRefund ? { alertAfterRefund: true as const } : {}) };
  }
  return null;
}

/** What an applied status writes to the payment row. */
function statusSet(opts: ApplyPaymentStatusOptions, payment: Payment, actuallyPaid: string | null): PaymentStatusSet {
  const payAmount = payAmountMoved(opts.payAmount, payment) ? opts.payAmount! : payment.payAmount;
  const now = new Date();
  return { status: opts.status, actuallyPaid, payAmount, updatedAt: now, ...(opts.source === 'poll' ? { lastCheckedAt: now } : {}) };
}

/** The activity row of an applied status, on either path. */
function statusActivity(opts: ApplyPaymentStatusOptions, payment: Payment, order: Order, actuallyPaid: string | null, orderStatus: string) {
  const { source, status } = opts;
  return {
    actorRole: source === 'replay' || source === 'admin' ? ('admin' as const) : ('provider' as const),
    action: `payment.${status}`,
    details: {
      source,
      orderNumber: order.orderNumber,
      providerPaymentId: opts.providerPaymentId,
      from: payment.status,
      to: status,
      actuallyPaid,
      payAmount: payment.payAmount,
      payCurrency: payment.payCurrency,
      orderStatus,
    },
  };
}

/** Writes options.event with the verdict, on `db` (the status transaction when there is one). */
async function withEvent(db: DbOrTx, opts: ApplyPaymentStatusOptions, result: ApplyPaymentStatusResult): Promise<ApplyPaymentStatusResult> {
  const { event } = opts;
  if (!event || (event.onlyIf && !event.onlyIf.includes(result.verdict))) return result;
  const eventId = await recordPaymentEvent(db, { ...event.fields, orderId: result.orderId ?? null, verdict: result.verdict });
  return { ...result, eventId };
}

/** The payment's status, options.event with the verdict when it is recorded, and the order's other payments: one statement. */
async function setStatusWithEvent(tx: Tx, opts: ApplyPaymentStatusOptions, result: ApplyPaymentStatusResult, set: PaymentStatusSet) {
  const { event } = opts;
  const recorded = event && (!event.onlyIf || event.onlyIf.includes(result.verdict));
  return setPaymentStatus(tx, {
    paymentId: result.paymentId!,
    orderId: result.orderId!,
    set,
    ...(recorded ? { event: { ...event.fields, orderId: result.orderId ?? null, verdict: result.verdict } } : {}),
  });
}

/** The provider quotes a new amount for an invoice still waiting for (more) money. */
function payAmountMoved(reported: string | null | undefined, payment: Payment): boolean {
  if (!reported || !(payment.status === 'waiting' || payment.status === 'partially_paid')) return false;
  return payment.payAmount === null || compareAmounts(reported, payment.payAmount) !== 0;
}

function maxPaid(reported: string | null, stored: string | null): string | null {
  if (reported === null) return stored;
  if (stored === null) return reported;
  return compareAmounts(reported, stored) >= 0 ? reported : stored;
}

function findMismatch(claimed: ApplyPaymentStatusOptions['claimed'], order: Order, payment: Payment): string | null {
  if (!claimed) return null;
  if (claimed.orderId != null && claimed.orderId !== order.id) return 'order_id does not match the payment';
  if (claimed.priceAmount != null && Math.round(claimed.priceAmount * 100) !== payment.priceCents) {
    return 'price_amount does not match the order';
  }
  if (claimed.priceCurrency != null && claimed.priceCurrency.toLowerCase() !== 'usd') {
    return 'price_currency does not match the order';
  }
  return null;
}

// The safety net under the webhook: asks the provider about open payments (a lost IPN
// delays nothing for long) and lets unpaid invoices lapse so their stock returns.
import { and, eq, gt, inArray, isNotNull, isNull, lt, not, or, sql } from 'drizzle-orm';
import { orders, payments, senders } from '../../db/schema.js';
import type { ProviderPayment } from '../../integrations/payment-provider.js';
import type { AppContext } from '../../platform/app-context.js';
import { logActivity } from '../../platform/log-activity.js';
import { failCheckoutPayment } from '../checkout/fail-checkout-payment.js';
import { releaseReservation } from '../stock/release-reservation.js';
import { applyPaymentStatus } from './apply-payment-status.js';
import { touchPaymentChecked } from './payment-records.js';
import { openStatuses } from './payment-status.js';
import { getPaymentProvider } from './provider.js';
import { refreshStaleEstimates } from './refresh-estimate.js';

export type ReconcilePaymentsOptions = {
  ctx: AppContext;
  /** Skip payments checked more recently than this (default 30 s). */
  minIntervalMs?: number;
  /** The same for lapsed invoices (expired, or partially paid past their expiry): default 10 min. */
  slowIntervalMs?: number;
  batchSize?: number;
  now?: Date;
};

export type ReconcilePaymentsResult = {
  checked: number;
  applied: number;
  expired: number;
  /** Partially paid orders whose invoice lapsed: their reserved senders went back to stock. */
  released: number;
  failedStuck: number;
  /** Waiting invoices whose rate quote lapsed and was renewed (update-merchant-estimate). */
  estimatesRenewed: number;
  errors: number;
};

/** A payment still `creating` this long after its order was made lost its process mid-call. */
const STUCK_CREATING_MS = 10 * 60 * 1000;
/** Money can arrive after the invoice lapsed (and its IPN can be lost): keep asking this long. */
const LAPSED_POLL_WINDOW_MS = 7 * 86_400_000;

export async function reconcilePayments({
  ctx,
  minIntervalMs = 30_000,
  slowIntervalMs = 10 * 60_000,
  batchSize = 100,
  now = new Date(),
}: ReconcilePaymentsOptions): Promise<ReconcilePaymentsResult> {
  const result: ReconcilePaymentsResult = { checked: 0, applied: 0, expired: 0, released: 0, failedStuck: 0, estimatesRenewed: 0, errors: 0 };
  const window = { now, batchSize, checkedBefore: new Date(now.getTime() - minIntervalMs), slowCheckedBefore: new Date(now.getTime() - slowIntervalMs) };
  await pollOpenPayments(ctx, window, result);
  await expireLapsedInvoices(ctx, window, result);
  await releaseLapsedPartials(ctx, window, result);
  await failStuckPayments(ctx, window, result);
  // While the buyer waits, the amount quoted stays one NOWPayments will honour.
  result.estimatesRenewed = await refreshStaleEstimates({ ctx, now, batchSize });
  return result;
}

type Window = { now: Date; batchSize: number; checkedBefore: Date; slowCheckedBefore: Date };

const invoiceLapsed = (now: Date) => or(lt(payments.expiresAt, now), lt(orders.reservationExpiresAt, now))!;
const checkedBeforeThe = (t: Date) => or(isNull(payments.lastCheckedAt), lt(payments.lastCheckedAt, t));

/** Asks the provider about open payments (and recently lapsed ones, more slowly) and applies what it says. */
async function pollOpenPayments(ctx: AppContext, { now, batchSize, checkedBefore, slowCheckedBefore }: Window, result: ReconcilePaymentsResult): Promise<void> {
  const provider = await getPaymentProvider(ctx);
  const lapsedSince = new Date(now.getTime() - LAPSED_POLL_WINDOW_MS);
  const open = await ctx.db
    .select({ id: payments.id, providerPaymentId: payments.providerPaymentId })
    .from(payments)
    .innerJoin(orders, eq(orders.id, payments.orderId))
    .where(
      and(
        isNotNull(payments.providerPaymentId),
        or(
          and(
            inArray(
              payments.status,
              openStatuses.filter((st) => st !== 'partially_paid'),
            ),
            checkedBeforeThe(checkedBefore),
          ),
          and(eq(payments.status, 'partially_paid'), not(invoiceLapsed(now)), checkedBeforeThe(checkedBefore)),
          // Lapsed by our clock or the provider's: a late `finished` is still honoured.
          and(
            or(eq(payments.status, 'expired'), and(eq(payments.status, 'partially_paid'), invoiceLapsed(now))),
            gt(payments.updatedAt, lapsedSince),
            checkedBeforeThe(slowCheckedBefore),
          ),
        ),
      ),
    )
    .orderBy(sql`${payments.lastCheckedAt} asc nulls first`)
    .limit(batchSize);

  for (const p of open) {
    result.checked++;
    try {
      const remote = await provider.getPayment(p.providerPaymentId!);
      await touchPaymentChecked(ctx.db, p.id);
      if (await applyRemote(ctx, remote)) result.applied++;
      // A re-deposit whose IPN was lost is found through its parent's `payment_extra_ids`.
      for (const childId of await unseenPaymentIds(ctx, remote.extraPaymentIds)) {
        const child = await provider.getPayment(childId);
        if (await applyRemote(ctx, { ...child, parentPaymentId: child.parentPaymentId ?? remote.providerPaymentId })) result.applied++;
      }
    } catch (err) {
      result.errors++;
      ctx.log.warn({ err, paymentId: p.id }, 'reconciliation could not check a payment; next run retries');
    }
  }
}

/** Applies what the provider's API says of a payment; true when it changed something. */
async function applyRemote(ctx: AppContext, remote: ProviderPayment): Promise<boolean> {
  if (!remote.status) return false;
  const applied = await applyPaymentStatus({
    ctx,
    providerPaymentId: remote.providerPaymentId,
    status: remote.status,
    actuallyPaid: remote.actuallyPaid,
    payAmount: remote.payAmount,
    payCurrency: remote.payCurrency,
    parentProviderPaymentId: remote.parentPaymentId,
    claimed: { orderId: remote.orderId, priceAmount: remote.priceAmount, priceCurrency: remote.priceCurrency },
    source: 'poll',
    // Polls that change something (or are refused) are kept, in the transaction that applies them.
    event: {
      fields: { source: 'poll', providerPaymentId: remote.providerPaymentId, status: remote.rawStatus, signatureValid: true, rawBody: JSON.stringify(remote) },
      onlyIf: ['applied', 'rejected_mismatch'],
    },
  });
  return applied.verdict === 'applied';
}

/** The ids in `ids` we hold no payment for. */
async function unseenPaymentIds(ctx: AppContext, ids: readonly string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const known = await ctx.db
    .select({ id: payments.providerPaymentId })
    .from(payments)
    .where(inArray(payments.providerPaymentId, [...ids]));
  const seen = new Set(known.map((k) => k.id));
  return ids.filter((id) => !seen.has(id));
}

/** Unpaid past the invoice's expiry (or the reservation's): the stock goes back to sale. */
async function expireLapsedInvoices(ctx: AppContext, { now, batchSize }: Window, result: ReconcilePaymentsResult): Promise<void> {
  const lapsed = await ctx.db
    .select({ providerPaymentId: payments.providerPaymentId })
    .from(payments)
    .innerJoin(orders, eq(orders.id, payments.orderId))
    .where(and(eq(payments.status, 'waiting'), isNotNull(payments.providerPaymentId), or(lt(payments.expiresAt, now), lt(orders.reservationExpiresAt, now))))
    .limit(batchSize);
  for (const p of lapsed) {
    const r = await applyPaymentStatus({ ctx, providerPaymentId: p.providerPaymentId!, status: 'expired', source: 'poll' });
    if (r.verdict === 'applied') result.expired++;
  }
}

/**
 * Partly paid and lapsed: the stock is not held forever. The order stays partially_paid, so
 * the rest arriving later still pays it (fulfilment then reserves again or back-orders).
 */
async function releaseLapsedPartials(ctx: AppContext, { now, batchSize }: Window, result: ReconcilePaymentsResult): Promise<void> {
  const partial = await ctx.db
    .selectDistinct({ orderId: orders.id })
    .from(payments)
    .innerJoin(orders, eq(orders.id, payments.orderId))
    .innerJoin(senders, and(eq(senders.orderId, orders.id), eq(senders.state, 'reserved')))
    .where(and(eq(payments.status, 'partially_paid'), eq(orders.status, 'partially_paid'), invoiceLapsed(now)))
    .limit(batchSize);
  for (const { orderId } of partial) {
    if (await releasePartialReservation(ctx, orderId)) result.released++;
  }
}

/** A payment still `creating` long after its order was made lost its process mid-call: undone. */
async function failStuckPayments(ctx: AppContext, { now, batchSize }: Window, result: ReconcilePaymentsResult): Promise<void> {
  const stuck = await ctx.db
    .select({ id: payments.id, orderId: payments.orderId })
    .from(payments)
    .where(and(eq(payments.status, 'creating'), lt(payments.createdAt, new Date(now.getTime() - STUCK_CREATING_MS))))
    .limit(batchSize);
  for (const s of stuck) {
    if (await failCheckoutPayment({ ctx, orderId: s.orderId, reason: 'invoice creation never completed' })) result.failedStuck++;
  }
}

async function releasePartialReservation(ctx: AppContext, orderId: string): Promise<boolean> {
  return ctx.db.transaction(async (tx) => {
    const [order] = await tx.select().from(orders).where(eq(orders.id, orderId)).for('update');
    if (order?.status !== 'partially_paid') return false;
    const released = await releaseReservation({ tx, orderId, jobs: ctx.jobs });
    if (released === 0) return false;
    await logActivity({
      db: tx,
      actorRole: 'system',
      action: 'order.reservation_released',
      subjectType: 'order',
      subjectId: orderId,
      details: { orderNumber: order.orderNumber, released, reason: 'partially paid and the invoice lapsed' },
    });
    return true;
  });
}

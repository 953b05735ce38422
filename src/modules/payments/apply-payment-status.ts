// THE convergent step for payments: the IPN webhook, the reconciliation poller, the
// test-mode simulator and an admin replay all end here. The payment row lock plus the
// forward-only machine make duplicates, reorderings and races harmless.
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { commissions, orders, payments } from '../../db/schema.js';
import { compareAmounts, subtractAmounts } from '../../lib/coin-amount.js';
import type { AppContext } from '../../platform/app-context.js';
import { logActivity } from '../../platform/log-activity.js';
import { notifyAdmins } from '../../platform/notifications/notify-admins.js';
import { notifyUser } from '../../platform/notifications/notify-user.js';
import { releaseReservation } from '../stock/release-reservation.js';
import { canMove, type PaymentStatus, type ProviderStatus } from './payment-status.js';

export type PaymentEventSource = 'ipn' | 'poll' | 'replay' | 'simulate' | 'admin';

export type ApplyPaymentStatusOptions = {
  ctx: AppContext;
  providerPaymentId: string;
  status: ProviderStatus;
  actuallyPaid?: string | null;
  /** What the provider says the payment is for; each field present must match our records. */
  claimed?: { orderId?: string | null; priceAmount?: number | null; priceCurrency?: string | null };
  source: PaymentEventSource;
  /** Apply only if the payment is still in this status (an admin acting on what they saw). */
  expectedStatus?: PaymentStatus;
  /** Runs in the same transaction once the status is applied: the caller's own record commits with it. */
  onApplied?: (tx: Tx, applied: { paymentId: string; orderId: string; orderStatus: string }) => Promise<void>;
};

export type ApplyVerdict = 'applied' | 'duplicate' | 'ignored' | 'changed' | 'rejected_mismatch' | 'unknown_payment';

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
};

type Order = typeof orders.$inferSelect;
type Payment = typeof payments.$inferSelect;

export async function applyPaymentStatus(opts: ApplyPaymentStatusOptions): Promise<ApplyPaymentStatusResult> {
  const { ctx, providerPaymentId, status, source } = opts;
  // Retry storms are mostly exact repeats: answer those without queueing on the row lock.
  // Statuses only move forward, so a repeat seen without the lock is a repeat with it too.
  if (status !== 'partially_paid' && !opts.expectedStatus) {
    const [seen] = await ctx.db
      .select({ payment: payments, order: orders })
      .from(payments)
      .innerJoin(orders, eq(orders.id, payments.orderId))
      .where(eq(payments.providerPaymentId, providerPaymentId));
    if (!seen) return { verdict: 'unknown_payment' };
    const base = { paymentId: seen.payment.id, orderId: seen.order.id, status: seen.payment.status, orderStatus: seen.order.status };
    const mismatch = findMismatch(opts.claimed, seen.order, seen.payment);
    if (mismatch) return { ...base, verdict: 'rejected_mismatch', reason: mismatch };
    if (seen.payment.status === status) return { ...base, verdict: 'duplicate' };
  }
  return ctx.db.transaction(async (tx) => {
    const [payment] = await tx.select().from(payments).where(eq(payments.providerPaymentId, providerPaymentId)).for('update');
    if (!payment) return { verdict: 'unknown_payment' };
    const [order] = await tx.select().from(orders).where(eq(orders.id, payment.orderId)).for('update');
    if (!order) return { verdict: 'unknown_payment' };
    const base = { paymentId: payment.id, orderId: order.id };

    const mismatch = findMismatch(opts.claimed, order, payment);
    if (mismatch) return { ...base, verdict: 'rejected_mismatch', reason: mismatch, status: payment.status, orderStatus: order.status };

    // Money received never shrinks: a later event (an expiry IPN reporting 0) must not erase
    // what an earlier one counted, or the refund due on an underpaid-then-expired order is lost.
    const actuallyPaid = maxPaid(opts.actuallyPaid ?? null, payment.actuallyPaid);
    const morePaid =
      status === 'partially_paid' &&
      payment.status === 'partially_paid' &&
      actuallyPaid !== null &&
      (payment.actuallyPaid === null || compareAmounts(actuallyPaid, payment.actuallyPaid) > 0);
    if (payment.status === status && !morePaid) {
      return { ...base, verdict: 'duplicate', status: payment.status, orderStatus: order.status };
    }
    if (opts.expectedStatus && payment.status !== opts.expectedStatus) {
      return { ...base, verdict: 'changed', status: payment.status, orderStatus: order.status };
    }
    if (payment.status !== status && !canMove(payment.status, status)) {
      if (payment.status === 'refunded' && payingStatuses.includes(status)) await alertPaidAfterRefund({ tx, order, payment, status, actuallyPaid });
      return { ...base, verdict: 'ignored', status: payment.status, orderStatus: order.status };
    }

    await tx
      .update(payments)
      .set({
        status,
        actuallyPaid,
        updatedAt: new Date(),
        ...(source === 'poll' ? { lastCheckedAt: new Date() } : {}),
      })
      .where(eq(payments.id, payment.id));

    const orderStatus = await applyToOrder({ ctx, tx, order, payment, status, actuallyPaid, source });
    await opts.onApplied?.(tx, { paymentId: payment.id, orderId: order.id, orderStatus });
    await logActivity({
      db: tx,
      actorRole: source === 'replay' || source === 'admin' ? 'admin' : 'provider',
      action: `payment.${status}`,
      subjectType: 'order',
      subjectId: order.id,
      details: {
        source,
        orderNumber: order.orderNumber,
        providerPaymentId,
        from: payment.status,
        to: status,
        actuallyPaid,
        payAmount: payment.payAmount,
        payCurrency: payment.payCurrency,
        orderStatus,
      },
    });
    return { ...base, verdict: 'applied', status, orderStatus };
  });
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

type ApplyToOrderOptions = {
  ctx: AppContext;
  tx: Tx;
  source: PaymentEventSource;
  order: Order;
  payment: Payment;
  status: ProviderStatus;
  actuallyPaid: string | null;
};

/** The order-side consequence of a payment move; returns the order's status afterwards. */
async function applyToOrder({ ctx, tx, order, payment, status, actuallyPaid, source }: ApplyToOrderOptions): Promise<string> {
  const paidEnough = status === 'finished' || (ctx.config.nowpayments.fulfilOnConfirmed && (status === 'confirmed' || status === 'sending'));

  if (paidEnough) {
    const surplus =
      actuallyPaid && payment.payAmount && compareAmounts(actuallyPaid, payment.payAmount) > 0 ? subtractAmounts(actuallyPaid, payment.payAmount) : null;
    if (surplus) await tx.update(payments).set({ surplusAmount: surplus }).where(eq(payments.id, payment.id));
    // The status guard is what makes fulfilment happen once: only the move into `paid` enqueues.
    const moved = await tx
      .update(orders)
      .set({ status: 'paid', paidAt: new Date(), updatedAt: new Date() })
      .where(and(eq(orders.id, order.id), inArray(orders.status, ['pending', 'partially_paid', 'expired'])))
      .returning({ id: orders.id });
    if (moved.length === 0) return order.status;
    await ctx.jobs.send('fulfil-order', { orderId: order.id }, { tx });
    if (order.status === 'expired') {
      // Money after the invoice lapsed: still honoured; fulfilment back-orders if the stock is gone.
      await logActivity({
        db: tx,
        actorRole: 'system',
        action: 'order.late_payment',
        subjectType: 'order',
        subjectId: order.id,
        details: { orderNumber: order.orderNumber, providerPaymentId: payment.providerPaymentId },
      });
    }
    if (surplus) {
      await logActivity({
        db: tx,
        actorRole: 'system',
        action: 'payment.overpaid',
        subjectType: 'order',
        subjectId: order.id,
        details: { orderNumber: order.orderNumber, surplus, payCurrency: payment.payCurrency },
      });
    }
    return 'paid';
  }

  switch (status) {
    case 'partially_paid': {
      if (order.status !== 'pending' && order.status !== 'partially_paid') return order.status;
      await tx.update(orders).set({ status: 'partially_paid', updatedAt: new Date() }).where(eq(orders.id, order.id));
      const missing = subtractAmounts(payment.payAmount, actuallyPaid);
      const coin = payment.payCurrency.toUpperCase();
      await notifyUser({
        db: tx,
        userId: order.userId,
        kind: 'payment_partial',
        title: 'Your payment is incomplete',
        body:
          `We received ${actuallyPaid ?? 'part'} ${coin} of ${payment.payAmount} ${coin} for order #${order.orderNumber}. ` +
          `Send the missing ${missing ?? 'amount'} ${coin} to the same address (${payment.payAddress}) to activate your plan.`,
        dedupeKey: `payment:${payment.id}:partial:${actuallyPaid ?? ''}`,
      });
      return 'partially_paid';
    }
    case 'expired':
    case 'failed': {
      if (order.status !== 'pending' && order.status !== 'partially_paid') return order.status;
      await tx.update(orders).set({ status, updatedAt: new Date() }).where(eq(orders.id, order.id));
      await releaseReservation({ tx, orderId: order.id, jobs: ctx.jobs });
      return status;
    }
    case 'refunded': {
      if (order.status === 'refunded') return order.status;
      // A refunded order waits for nothing: it leaves the back-order queue too.
      await tx.update(orders).set({ status: 'refunded', backordered: false, updatedAt: new Date() }).where(eq(orders.id, order.id));
      await reverseCommission({ tx, order });
      if (order.status !== 'fulfilled') await releaseReservation({ tx, orderId: order.id, jobs: ctx.jobs });
      if ((order.status === 'fulfilled' || order.status === 'paid') && source !== 'admin') {
        // The plan stays provisioned: whether to cut it short is a person's decision.
        await notifyAdmins({
          db: tx,
          kind: 'order_refunded',
          title: 'A paid order was refunded',
          body: `Order #${order.orderNumber} (${order.planName}) was refunded by the payment provider after it was ${order.status}. Review the customer's plan.`,
          dedupeKey: `order:${order.id}:refunded`,
        });
        await logActivity({
          db: tx,
          actorRole: 'system',
          action: 'order.refunded_after_payment',
          subjectType: 'order',
          subjectId: order.id,
          details: { orderNumber: order.orderNumber, previousStatus: order.status },
        });
      }
      return 'refunded';
    }
    default:
      return order.status;
  }
}

/**
 * The order's move to `refunded` (same transaction) is what reverses a booked commission:
 * every reseller balance sums commissions of orders not refunded, so no row changes here;
 * the reversal is recorded so the ledger's story stays readable.
 */
type ReverseCommissionOptions = { tx: Tx; order: Order };

async function reverseCommission({ tx, order }: ReverseCommissionOptions): Promise<void> {
  const [booked] = await tx
    .select({ resellerId: commissions.resellerId, amountCents: commissions.amountCents })
    .from(commissions)
    .where(eq(commissions.orderId, order.id));
  if (!booked) return;
  await logActivity({
    db: tx,
    actorRole: 'system',
    action: 'reseller.commission_reversed',
    subjectType: 'reseller',
    subjectId: booked.resellerId,
    details: { orderId: order.id, orderNumber: order.orderNumber, amountCents: booked.amountCents },
  });
}

/** Marks a payment as checked by the poller even when nothing changed. */
export async function touchPaymentChecked(ctx: AppContext, paymentId: string): Promise<void> {
  await ctx.db.update(payments).set({ lastCheckedAt: sql`now()` }).where(eq(payments.id, paymentId));
}

type AlertPaidAfterRefundOptions = { tx: Tx; order: Order; payment: Payment; status: ProviderStatus; actuallyPaid: string | null };

/**
 * A refunded payment is final, but the buyer's wallet does not know that: money that arrives
 * afterwards is not applied (it would fulfil a refunded order), and a person must hear of it.
 */
async function alertPaidAfterRefund({ tx, order, payment, status, actuallyPaid }: AlertPaidAfterRefundOptions): Promise<void> {
  const coin = payment.payCurrency.toUpperCase();
  await notifyAdmins({
    db: tx,
    kind: 'payment_after_refund',
    title: 'Money arrived on a refunded order',
    body: `Order #${order.orderNumber} (${order.planName}) was refunded, then the provider reported "${status}" (${actuallyPaid ?? '?'} ${coin} received). Nothing was fulfilled: refund the buyer again or contact them.`,
    dedupeKey: `payment:${payment.id}:after-refund:${status}:${actuallyPaid ?? ''}`,
  });
  await logActivity({
    db: tx,
    actorRole: 'provider',
    action: 'payment.after_refund',
    subjectType: 'order',
    subjectId: order.id,
    details: { orderNumber: order.orderNumber, status, actuallyPaid, payCurrency: payment.payCurrency },
  });
}

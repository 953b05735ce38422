// The order-side consequence of a payment move, inside applyPaymentStatus's transaction: the
// order's status changes only through checkout's transitionOrder (forward-only).
import { eq } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { commissions, type orders, payments } from '../../db/schema.js';
import { compareAmounts, subtractAmounts } from '../../lib/coin-amount.js';
import type { AppContext } from '../../platform/app-context.js';
import { logActivity } from '../../platform/log-activity.js';
import { notifyAdmins } from '../../platform/notifications/notify-admins.js';
import { notifyUser } from '../../platform/notifications/notify-user.js';
import { queueReceiptEmail } from '../checkout/receipt-email.js';
import { transitionOrder } from '../checkout/transition-order.js';
import { releaseReservation } from '../stock/release-reservation.js';
import type { ProviderStatus } from './payment-status.js';

export type PaymentEventSource = 'ipn' | 'poll' | 'replay' | 'simulate' | 'admin';
type Order = typeof orders.$inferSelect;
type Payment = typeof payments.$inferSelect;

export type ApplyToOrderOptions = {
  ctx: AppContext;
  tx: Tx;
  source: PaymentEventSource;
  order: Order;
  payment: Payment;
  status: ProviderStatus;
  actuallyPaid: string | null;
};

/** Returns the order's status afterwards. */
export async function applyToOrder(opts: ApplyToOrderOptions): Promise<string> {
  const { ctx, status } = opts;
  const paidEnough = status === 'finished' || (ctx.config.nowpayments.fulfilOnConfirmed && (status === 'confirmed' || status === 'sending'));
  if (paidEnough) return markPaid(opts);
  switch (status) {
    case 'partially_paid':
      return markPartiallyPaid(opts);
    case 'expired':
    case 'failed':
      return markLapsed(opts, status);
    case 'refunded':
      return markRefunded(opts);
    default:
      return opts.order.status;
  }
}

async function markPaid({ ctx, tx, order, payment, actuallyPaid }: ApplyToOrderOptions): Promise<string> {
  const surplus =
    actuallyPaid && payment.payAmount && compareAmounts(actuallyPaid, payment.payAmount) > 0 ? subtractAmounts(actuallyPaid, payment.payAmount) : null;
  if (surplus) await tx.update(payments).set({ surplusAmount: surplus }).where(eq(payments.id, payment.id));
  // The status guard is what makes fulfilment happen once: only the move into `paid` enqueues.
  const moved = await transitionOrder(tx, order.id, { to: 'paid', set: { paidAt: new Date() } });
  if (!moved.moved) return order.status;
  await ctx.jobs.send('fulfil-order', { orderId: order.id }, { tx });
  await queueReceiptEmail({ ctx, tx, orderId: order.id });
  const system = { db: tx, actorRole: 'system', subjectType: 'order', subjectId: order.id } as const;
  if (order.status === 'expired') {
    // Money after the invoice lapsed: still honoured; fulfilment back-orders if the stock is gone.
    const details = { orderNumber: order.orderNumber, providerPaymentId: payment.providerPaymentId };
    await logActivity({ ...system, action: 'order.late_payment', details });
  }
  if (surplus) {
    await logActivity({ ...system, action: 'payment.overpaid', details: { orderNumber: order.orderNumber, surplus, payCurrency: payment.payCurrency } });
  }
  return 'paid';
}

async function markPartiallyPaid({ tx, order, payment, actuallyPaid }: ApplyToOrderOptions): Promise<string> {
  const moved = await transitionOrder(tx, order.id, { to: 'partially_paid', from: ['pending', 'partially_paid'] });
  if (!moved.moved) return order.status;
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

async function markLapsed({ ctx, tx, order }: ApplyToOrderOptions, status: 'expired' | 'failed'): Promise<string> {
  const moved = await transitionOrder(tx, order.id, { to: status, from: ['pending', 'partially_paid'] });
  if (!moved.moved) return order.status;
  await releaseReservation({ tx, orderId: order.id, jobs: ctx.jobs });
  return status;
}

async function markRefunded({ ctx, tx, order, source }: ApplyToOrderOptions): Promise<string> {
  // A refunded order waits for nothing: it leaves the back-order queue too.
  const moved = await transitionOrder(tx, order.id, { to: 'refunded', set: { backordered: false } });
  if (!moved.moved) return order.status;
  await reverseCommission(tx, order);
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

/**
 * The order's move to `refunded` (same transaction) is what reverses a booked commission:
 * every reseller balance sums commissions of orders not refunded, so no row changes here;
 * the reversal is recorded so the ledger's story stays readable.
 */
async function reverseCommission(tx: Tx, order: Order): Promise<void> {
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

export type AlertPaidAfterRefundOptions = { tx: Tx; order: Order; payment: Payment; status: ProviderStatus; actuallyPaid: string | null };

/**
 * A refunded payment is final, but the buyer's wallet does not know that: money that arrives
 * afterwards is not applied (it would fulfil a refunded order), and a person must hear of it.
 */
export async function alertPaidAfterRefund({ tx, order, payment, status, actuallyPaid }: AlertPaidAfterRefundOptions): Promise<void> {
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

// The order-side consequence of a payment move, inside applyPaymentStatus's transaction: the
// order's status changes only through checkout's transitionOrder (forward-only).
import { and, eq, isNull } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { commissions, type orders, payments } from '../../db/schema.js';
import { compareAmounts } from '../../lib/coin-amount.js';
import type { AppContext } from '../../platform/app-context.js';
import { logActivity } from '../../platform/log-activity.js';
import { notifyAdmins } from '../../platform/notifications/notify-admins.js';
import { notifyUser } from '../../platform/notifications/notify-user.js';
import { emailDeliveryJob } from '../../platform/notifications/queue-email.js';
import { queueReceiptEmail } from '../checkout/receipt-email.js';
import { transitionOrder } from '../checkout/transition-order.js';
import { releaseReservation } from '../stock/release-reservation.js';
import { type OrderReceived, orderReceived, type ReceivedRow, summariseReceived } from './order-received.js';
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
  /** The order's other payments as of the status change (setPaymentStatus); read here when absent. */
  siblings?: readonly ReceivedRow[];
  status: ProviderStatus;
  actuallyPaid: string | null;
};

/**
 * Returns the order's status afterwards. The order is decided by what it received across all its
 * payments (the invoice and its re-deposits), not by the one status that just arrived.
 */
export async function applyToOrder(opts: ApplyToOrderOptions): Promise<string> {
  const { ctx, tx, order, payment, status } = opts;
  const sumOpts = { tolerancePercent: ctx.config.nowpayments.underpaidTolerancePercent, fulfilOnConfirmed: ctx.config.nowpayments.fulfilOnConfirmed };
  const received =
    status === 'refunded' ? null : opts.siblings ? summariseReceived([payment, ...opts.siblings], sumOpts) : await orderReceived(tx, order.id, sumOpts);
  switch (orderMoveOf({ order, payment, status, received })) {
    case 'refunded':
      return markRefunded(opts);
    case 'alert_after_refund':
      await alertPaidAfterRefund({ tx, order, payment, status, actuallyPaid: opts.actuallyPaid });
      return order.status;
    case 'paid':
      return markPaid(opts, received!);
    case 'lapsed':
      return markLapsed(opts, status as 'expired' | 'failed');
    case 'partially_paid':
      return markPartiallyPaid(opts, received!);
    case 'none':
      return order.status;
  }
}

/** What a payment's new status does to its order; each move is one function below. */
export type OrderMove = 'refunded' | 'alert_after_refund' | 'paid' | 'lapsed' | 'partially_paid' | 'none';

export type OrderMoveOptions = {
  order: Pick<Order, 'status'>;
  payment: Pick<Payment, 'parentProviderPaymentId'>;
  status: ProviderStatus;
  /** What the order received across its payments, the new status counted (unused for `refunded`). */
  received: OrderReceived | null;
};

/**
 * The decision alone, for applyToOrder and for the one-statement path (apply-in-one-statement.ts),
 * which takes only the moves it can write without a lock.
 */
export function orderMoveOf({ order, payment, status, received }: OrderMoveOptions): OrderMove {
  const isInvoice = payment.parentProviderPaymentId === null;
  if (status === 'refunded') return isInvoice ? 'refunded' : 'none';
  const anyReceived = received !== null && compareAmounts(received.received, '0') > 0;
  if (order.status === 'refunded') return anyReceived && payingStatuses.includes(status) ? 'alert_after_refund' : 'none';
  if (received?.covered) return 'paid';
  if ((status === 'expired' || status === 'failed') && isInvoice && !anyReceived) return 'lapsed';
  if (anyReceived && received) return 'partially_paid';
  return 'none';
}

const payingStatuses: readonly ProviderStatus[] = ['confirming', 'confirmed', 'sending', 'partially_paid', 'finished'];

async function markPaid({ ctx, tx, order, payment }: ApplyToOrderOptions, received: OrderReceived): Promise<string> {
  const surplus = received.surplus;
  if (surplus) {
    await tx
      .update(payments)
      .set({ surplusAmount: surplus })
      .where(and(eq(payments.orderId, order.id), isNull(payments.parentProviderPaymentId)));
  }
  // The status guard is what makes fulfilment happen once: only the move into `paid` enqueues.
  const moved = await transitionOrder(tx, order.id, { to: 'paid', set: { paidAt: new Date() } });
  const system = { db: tx, actorRole: 'system', subjectType: 'order', subjectId: order.id } as const;
  if (!moved.moved) {
    // Already paid: more money on it is a surplus the buyer and the admins are told of.
    if (surplus) await tellOverpaid({ tx, order, received, surplus });
    return order.status;
  }
  // The receipt commits with the payment (proof of it even while fulfilment waits for stock), and
  // its delivery goes in the same insert as fulfil-order: one round trip for both jobs.
  const receiptId = await queueReceiptEmail({ ctx, tx, orderId: order.id, enqueue: false });
  await ctx.jobs.sendAll([{ name: 'fulfil-order', data: { orderId: order.id } }, ...(receiptId ? [emailDeliveryJob(receiptId)] : [])], { tx });
  if (order.status === 'expired' || order.status === 'cancelled' || order.status === 'failed') {
    // Money after the invoice lapsed (or was cancelled): still honoured; fulfilment back-orders if the stock is gone.
    const details = { orderNumber: order.orderNumber, providerPaymentId: payment.providerPaymentId, previousStatus: order.status };
    await logActivity({ ...system, action: 'order.late_payment', details });
  }
  if (surplus) await tellOverpaid({ tx, order, received, surplus });
  return 'paid';
}

type TellOverpaidOptions = { tx: Tx; order: Order; received: OrderReceived; surplus: string };

/** Paid more than due: the plan is activated all the same, and the surplus is a person's to refund. */
async function tellOverpaid({ tx, order, received, surplus }: TellOverpaidOptions): Promise<void> {
  const coin = received.payCurrency.toUpperCase();
  const dedupeKey = `order:${order.id}:overpaid:${surplus}`;
  await logActivity({
    db: tx,
    actorRole: 'system',
    action: 'payment.overpaid',
    subjectType: 'order',
    subjectId: order.id,
    details: { orderNumber: order.orderNumber, surplus, payCurrency: received.payCurrency, received: received.received, due: received.due },
  });
  await notifyUser({
    db: tx,
    userId: order.userId,
    kind: 'payment_overpaid',
    title: 'You paid more than the order asked',
    body: `Order #${order.orderNumber} received ${received.received} ${coin}, ${surplus} ${coin} more than the ${received.due} ${coin} due. Your plan is activated as usual; reply to your receipt email to have the extra ${surplus} ${coin} refunded.`,
    dedupeKey,
  });
  await notifyAdmins({
    db: tx,
    kind: 'payment_overpaid',
    title: 'An order was overpaid',
    body: `Order #${order.orderNumber} (${order.planName}) received ${surplus} ${coin} more than due. Refund the surplus if the buyer asks.`,
    dedupeKey,
  });
}

async function markPartiallyPaid({ tx, order, payment }: ApplyToOrderOptions, received: OrderReceived): Promise<string> {
  const moved = await transitionOrder(tx, order.id, { to: 'partially_paid', from: ['pending', 'partially_paid', 'cancelled', 'failed'] });
  if (!moved.moved) return order.status;
  const coin = received.payCurrency.toUpperCase();
  await notifyUser({
    db: tx,
    userId: order.userId,
    kind: 'payment_partial',
    title: 'Your payment is incomplete',
    body:
      `We received ${received.received} ${coin} of ${received.due ?? '?'} ${coin} for order #${order.orderNumber}. ` +
      `Send the missing ${received.missing ?? 'amount'} ${coin} to the same address (${payment.payAddress}) to activate your plan.`,
    dedupeKey: `order:${order.id}:partial:${received.received}`,
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

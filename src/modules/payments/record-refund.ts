// An admin's "record refund": NOWPayments returns money through its own dashboard and support,
// not through the payment API, so the operator refunds there and records it here. The record
// goes through the same convergent applyPaymentStatus as an IPN `refunded` (order refunded,
// reservation released, commission reversed) and is kept as a payment event of its own.
import { eq } from 'drizzle-orm';
import type { AppContext } from '../../context.js';
import { orders, paymentEvents, payments } from '../../db/schema.js';
import { AppError } from '../../lib/errors.js';
import { logActivity } from '../admin/log-activity.js';
import { applyPaymentStatus } from './apply-payment-status.js';

export type RecordRefundOptions = { ctx: AppContext; orderId: string; adminUserId: string; note?: string | undefined };

export type RecordRefundResult = { orderId: string; orderStatus: string; paymentStatus: string };

/** Money the buyer sent that can be handed back: a full payment, or part of one on a closed or open invoice. */
function refundable(orderStatus: string, actuallyPaid: string | null): boolean {
  if (orderStatus === 'paid' || orderStatus === 'fulfilled') return true;
  const somethingPaid = actuallyPaid !== null && /[1-9]/.test(actuallyPaid);
  return somethingPaid && (orderStatus === 'partially_paid' || orderStatus === 'expired' || orderStatus === 'failed');
}

export async function recordRefund({ ctx, orderId, adminUserId, note }: RecordRefundOptions): Promise<RecordRefundResult> {
  const [row] = await ctx.db
    .select({ order: orders, payment: payments })
    .from(orders)
    .leftJoin(payments, eq(payments.orderId, orders.id))
    .where(eq(orders.id, orderId));
  if (!row) throw new AppError('not_found', 'No order with that id');
  const { order, payment } = row;
  if (order.status === 'refunded') throw new AppError('conflict', `Order #${order.orderNumber} is already refunded`);
  if (!payment?.providerPaymentId) throw new AppError('conflict', 'This order has no payment to refund');
  if (!refundable(order.status, payment.actuallyPaid)) {
    throw new AppError('conflict', `Nothing was received for order #${order.orderNumber}, so there is nothing to refund`);
  }

  const result = await applyPaymentStatus({ ctx, providerPaymentId: payment.providerPaymentId, status: 'refunded', source: 'admin' });
  if (result.verdict !== 'applied') {
    // Raced with another refund or a provider event: say what the payment is now.
    throw new AppError('conflict', `The payment could not be marked refunded: it is ${result.status ?? 'unknown'}`);
  }
  await ctx.db.insert(paymentEvents).values({
    source: 'admin',
    providerPaymentId: payment.providerPaymentId.slice(0, 100),
    orderId: order.id,
    status: 'refunded',
    signatureValid: true,
    verdict: result.verdict,
    rawBody: JSON.stringify({ refundRecordedBy: adminUserId, note: note ?? null }),
    headers: { 'x-recorded-by': adminUserId },
  });
  await logActivity({
    db: ctx.db,
    actorUserId: adminUserId,
    actorRole: 'admin',
    action: 'order.refund_recorded',
    subjectType: 'order',
    subjectId: order.id,
    details: {
      orderNumber: order.orderNumber,
      previousStatus: order.status,
      actuallyPaid: payment.actuallyPaid,
      payCurrency: payment.payCurrency,
      note: note ?? null,
    },
  });
  return { orderId: order.id, orderStatus: result.orderStatus ?? 'refunded', paymentStatus: 'refunded' };
}

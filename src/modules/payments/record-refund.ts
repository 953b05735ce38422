// An admin's "record refund": NOWPayments returns money through its own dashboard and support,
// not through the payment API, so the operator refunds there and records it here. The record
// goes through the same convergent applyPaymentStatus as an IPN `refunded` (order refunded,
// reservation released, commission reversed); its event and log entry commit with it.
import { eq } from 'drizzle-orm';
import { orders, payments } from '../../db/schema.js';
import { AppError } from '../../lib/errors.js';
import type { AppContext } from '../../platform/app-context.js';
import { logActivity } from '../../platform/log-activity.js';
import { applyPaymentStatus } from './apply-payment-status.js';
import type { PaymentStatus } from './payment-status.js';

export type RecordRefundOptions = {
  ctx: AppContext;
  orderId: string;
  adminUserId: string;
  /** The payment status the admin saw when deciding: if it has moved since, nothing happens. */
  expectedPaymentStatus: PaymentStatus;
  note?: string | undefined;
  now?: Date;
};

export type RecordRefundResult = { orderId: string; orderStatus: string; paymentStatus: string };

type RefundableOptions = { orderStatus: string; actuallyPaid: string | null; invoiceExpiresAt: Date | null; now: Date };

/**
 * Money that can be handed back: a full payment, or part of one on an invoice that can no longer
 * complete. An underpaid invoice still open may yet be paid in full, so it is not refundable.
 */
export function refundable({ orderStatus, actuallyPaid, invoiceExpiresAt, now }: RefundableOptions): boolean {
  if (orderStatus === 'paid' || orderStatus === 'fulfilled') return true;
  if (actuallyPaid === null || !/[1-9]/.test(actuallyPaid)) return false;
  if (orderStatus === 'expired' || orderStatus === 'failed') return true;
  return orderStatus === 'partially_paid' && invoiceExpiresAt !== null && invoiceExpiresAt <= now;
}

export async function recordRefund({
  ctx,
  orderId,
  adminUserId,
  expectedPaymentStatus,
  note,
  now = new Date(),
}: RecordRefundOptions): Promise<RecordRefundResult> {
  const [row] = await ctx.db
    .select({ order: orders, payment: payments })
    .from(orders)
    .leftJoin(payments, eq(payments.orderId, orders.id))
    .where(eq(orders.id, orderId));
  if (!row) throw new AppError('not_found', 'No order with that id');
  const { order, payment } = row;
  if (order.status === 'refunded') throw new AppError('conflict', `Order #${order.orderNumber} is already refunded`);
  if (!payment?.providerPaymentId) throw new AppError('conflict', 'This order has no payment to refund');
  if (payment.status !== expectedPaymentStatus) throw changed(payment.status);
  if (!refundable({ orderStatus: order.status, actuallyPaid: payment.actuallyPaid, invoiceExpiresAt: payment.expiresAt, now })) {
    throw new AppError(
      'conflict',
      order.status === 'partially_paid'
        ? `The invoice for order #${order.orderNumber} is still open and may yet be paid in full; record a refund once it has expired`
        : `Nothing was received for order #${order.orderNumber}, so there is nothing to refund`,
    );
  }

  const result = await applyPaymentStatus({
    ctx,
    providerPaymentId: payment.providerPaymentId,
    status: 'refunded',
    source: 'admin',
    expectedStatus: expectedPaymentStatus,
    event: {
      fields: {
        source: 'admin',
        providerPaymentId: payment.providerPaymentId.slice(0, 100),
        status: 'refunded',
        signatureValid: true,
        rawBody: JSON.stringify({ refundRecordedBy: adminUserId, note: note ?? null }),
        headers: { 'x-recorded-by': adminUserId },
      },
      onlyIf: ['applied'],
    },
    onApplied: async (tx) => {
      await logActivity({
        db: tx,
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
    },
  });
  if (result.verdict === 'changed') throw changed(result.status ?? 'unknown');
  if (result.verdict !== 'applied') throw new AppError('conflict', `The payment could not be marked refunded: it is ${result.status ?? 'unknown'}`);
  return { orderId: order.id, orderStatus: result.orderStatus ?? 'refunded', paymentStatus: 'refunded' };
}

function changed(now: string): AppError {
  return new AppError('conflict', `The payment changed to "${now.replace(/_/g, ' ')}" since you looked; review the order again before refunding`);
}

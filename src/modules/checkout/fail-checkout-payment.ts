import { and, eq } from 'drizzle-orm';
import { orders, payments } from '../../db/schema.js';
import type { AppContext } from '../../platform/app-context.js';
import { logActivity } from '../../platform/log-activity.js';
import { releaseReservation } from '../stock/release-reservation.js';

export type FailCheckoutPaymentOptions = { ctx: AppContext; orderId: string; reason: string };

/**
 * Undoes a checkout whose invoice could not be created: stock back, order and payment failed.
 * Only while the payment is still `creating`, so an invoice that did get recorded is never failed here.
 */
export async function failCheckoutPayment({ ctx, orderId, reason }: FailCheckoutPaymentOptions): Promise<boolean> {
  return ctx.db.transaction(async (tx) => {
    const [payment] = await tx
      .select({ id: payments.id })
      .from(payments)
      .where(and(eq(payments.orderId, orderId), eq(payments.status, 'creating')))
      .for('update');
    if (!payment) return false;
    await tx.update(payments).set({ status: 'failed', updatedAt: new Date() }).where(eq(payments.id, payment.id));
    await tx
      .update(orders)
      .set({ status: 'failed', updatedAt: new Date() })
      .where(and(eq(orders.id, orderId), eq(orders.status, 'pending')));
    const released = await releaseReservation({ tx, orderId, jobs: ctx.jobs });
    await logActivity({
      db: tx,
      actorRole: 'system',
      action: 'checkout.invoice_failed',
      subjectType: 'order',
      subjectId: orderId,
      details: { reason, released },
    });
    return true;
  });
}

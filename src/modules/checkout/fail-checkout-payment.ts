import type { AppContext } from '../../platform/app-context.js';
import { logActivity } from '../../platform/log-activity.js';
import { failPaymentBeingCreated } from '../payments/payment-records.js';
import { releaseReservation } from '../stock/release-reservation.js';
import { transitionOrder } from './transition-order.js';

export type FailCheckoutPaymentOptions = { ctx: AppContext; orderId: string; reason: string };

/**
 * Undoes a checkout whose invoice could not be created: stock back, order and payment failed.
 * Only while the payment is still `creating`, so an invoice that did get recorded is never failed here.
 */
export async function failCheckoutPayment({ ctx, orderId, reason }: FailCheckoutPaymentOptions): Promise<boolean> {
  return ctx.db.transaction(async (tx) => {
    // The payment's row lock (taken by the conditional update) serialises two undo attempts.
    if (!(await failPaymentBeingCreated(tx, orderId))) return false;
    await transitionOrder(tx, orderId, { to: 'failed', from: ['pending'] });
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

// The buyer walks away from a waiting invoice (or swaps it for another coin): the order is
// cancelled and its senders go back to stock, so the plan's page offers a fresh checkout
// instead of resuming the 60-minute invoice. The invoice itself is left open at the provider:
// coins sent to it anyway still arrive, and the core honours them (cancelled → paid).
import { and, eq, isNotNull, isNull } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { orders, payments, users } from '../../db/schema.js';
import { sha256 } from '../../lib/crypto.js';
import { AppError } from '../../lib/errors.js';
import type { AppContext } from '../../platform/app-context.js';
import { logActivity } from '../../platform/log-activity.js';
import { releaseReservation } from '../stock/release-reservation.js';
import { transitionOrder } from './transition-order.js';

export type CancelCheckoutOptions = {
  ctx: AppContext;
  /** The provider's id of the order's invoice, as the checkout page knows it. */
  paymentId: string;
  /** The paying browser's credential: the same one that unlocks the full status view. */
  checkoutSecret: string | undefined;
  /** Recorded with the cancellation: the buyer's own choice, or a change of coin. */
  reason?: 'cancelled' | 'coin_changed';
};

export type CancelledCheckout = {
  orderId: string;
  orderNumber: number;
  /** The buyer's email (null only for an account without one, which cannot check out again). */
  email: string | null;
  planId: string;
  payCurrency: string;
  released: number;
};

type Order = typeof orders.$inferSelect;

/** True when `secret` is the order's checkout secret (compared as hashes, like every other check of it). */
export function holdsCheckoutSecret(order: Pick<Order, 'checkoutSecretHash'>, secret: string | undefined): boolean {
  return !!secret && !!order.checkoutSecretHash && sha256(secret.trim()) === order.checkoutSecretHash;
}

/**
 * Cancels the order behind a waiting invoice. Refused (409) once money has been seen on it or on a
 * re-deposit: that order is being paid, and cancelling it would only confuse what the buyer sees.
 */
export async function cancelCheckout({ ctx, paymentId, checkoutSecret, reason = 'cancelled' }: CancelCheckoutOptions): Promise<CancelledCheckout> {
  return ctx.db.transaction(async (tx) => {
    // Payment first, then order: the lock order applyPaymentStatus takes, so an IPN arriving
    // at the same moment waits for us (or we for it) instead of deadlocking.
    const [invoice] = await tx
      .select()
      .from(payments)
      .where(and(eq(payments.providerPaymentId, paymentId), isNull(payments.parentProviderPaymentId)))
      .for('update');
    const [order] = invoice ? await tx.select().from(orders).where(eq(orders.id, invoice.orderId)).for('update') : [];
    // The same answer for a wrong secret as for no payment: payment ids are guessable.
    if (!invoice || !order || !holdsCheckoutSecret(order, checkoutSecret)) {
      throw new AppError('not_found', 'No payment with this id for this browser');
    }
    await refuseOnceMoneySeen(tx, order, invoice.status);
    const moved = await transitionOrder(tx, order.id, { to: 'cancelled', from: ['pending'] });
    if (!moved.moved) throw new AppError('conflict', `Order #${order.orderNumber} is ${moved.status ?? 'gone'} and can no longer be cancelled`);
    const released = await releaseReservation({ tx, orderId: order.id, jobs: ctx.jobs });
    await logActivity({
      db: tx,
      actorUserId: order.userId,
      actorRole: 'customer',
      action: reason === 'coin_changed' ? 'checkout.coin_changed' : 'checkout.cancelled',
      subjectType: 'order',
      subjectId: order.id,
      details: { orderNumber: order.orderNumber, providerPaymentId: paymentId, payCurrency: order.payCurrency, released },
    });
    const email = await emailOf(tx, order.userId);
    return { orderId: order.id, orderNumber: order.orderNumber, email, planId: order.planId, payCurrency: order.payCurrency, released };
  });
}

/** Waiting and nothing else: any status past it, or any re-deposit at all, means coins were sent. */
async function refuseOnceMoneySeen(tx: Tx, order: Order, invoiceStatus: string): Promise<void> {
  const [reDeposit] = await tx
    .select({ id: payments.id })
    .from(payments)
    .where(and(eq(payments.orderId, order.id), isNotNull(payments.parentProviderPaymentId)))
    .limit(1);
  if (invoiceStatus === 'waiting' && !reDeposit && order.status === 'pending') return;
  const what = order.status === 'pending' || order.status === 'partially_paid' ? 'money has already been seen on it' : `it is ${order.status}`;
  throw new AppError('conflict', `Order #${order.orderNumber} cannot be cancelled: ${what}. This page shows what happens next.`);
}

async function emailOf(tx: Tx, userId: string): Promise<string | null> {
  const [row] = await tx.select({ email: users.email }).from(users).where(eq(users.id, userId));
  return row?.email ?? null;
}

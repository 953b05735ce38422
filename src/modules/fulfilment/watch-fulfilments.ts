import { and, asc, eq, lt } from 'drizzle-orm';
import { orders } from '../../db/schema.js';
import type { AppContext } from '../../platform/app-context.js';
import { logActivity } from '../../platform/log-activity.js';
import { notifyAdmins } from '../../platform/notifications/notify-admins.js';

export type WatchFulfilmentsOptions = {
  ctx: AppContext;
  /** How long a paid order may wait for its fulfilment before it counts as stuck. */
  olderThanMs?: number;
  now?: Date;
};

export const STUCK_AFTER_MS = 120_000;
const MAX_PER_RUN = 100;

/**
 * Safety net for a fulfil-order job that got lost (its worker was killed and pg-boss still
 * holds it as active until it expires): a paid order not fulfilled after two minutes gets a
 * new fulfil-order job, and the admins are told once. Re-enqueuing is always safe: fulfilment
 * is idempotent under the order's row lock. Back-orders wait for stock on purpose: not stuck.
 */
export async function watchFulfilments({ ctx, olderThanMs = STUCK_AFTER_MS, now = new Date() }: WatchFulfilmentsOptions): Promise<{ requeued: number }> {
  const stuck = await ctx.db
    .select({ id: orders.id, orderNumber: orders.orderNumber, planName: orders.planName, paidAt: orders.paidAt })
    .from(orders)
    .where(and(eq(orders.status, 'paid'), eq(orders.backordered, false), lt(orders.paidAt, new Date(now.getTime() - olderThanMs))))
    .orderBy(asc(orders.paidAt))
    .limit(MAX_PER_RUN);
  for (const order of stuck) {
    // One re-enqueue per order per window, however many workers run the watchdog.
    await ctx.jobs.send('fulfil-order', { orderId: order.id }, { singletonKey: `watchdog:${order.id}`, singletonSeconds: Math.ceil(olderThanMs / 1000) });
    const waited = Math.round((now.getTime() - order.paidAt!.getTime()) / 1000);
    await notifyAdmins({
      db: ctx.db,
      kind: 'order_stuck',
      title: 'Paid order was not fulfilled in time',
      body: `Order #${order.orderNumber} (${order.planName}) was paid ${waited} s ago and is not fulfilled yet; its fulfilment was started again. If it stays paid, check the worker logs.`,
      dedupeKey: `order:${order.id}:stuck`,
    });
    await logActivity({
      db: ctx.db,
      actorRole: 'system',
      action: 'order.fulfilment_requeued',
      subjectType: 'order',
      subjectId: order.id,
      details: { waitedSeconds: waited },
    });
    ctx.log.warn({ orderId: order.id, waitedSeconds: waited }, 'paid order not fulfilled in time: fulfilment re-enqueued');
  }
  return { requeued: stuck.length };
}

import { and, asc, eq } from 'drizzle-orm';
import { orders } from '../../db/schema.js';
import type { AppContext } from '../../platform/app-context.js';
import { fulfilOrder } from './fulfil-order.js';

export type FulfilBackordersOptions = { ctx: AppContext };

/**
 * Retries back-ordered paid orders, oldest paid first, until one is still short: later
 * (possibly smaller) orders wait their turn rather than jumping the queue.
 */
export async function fulfilBackorders({ ctx }: FulfilBackordersOptions): Promise<{ fulfilled: number; waiting: number }> {
  const waiting = await ctx.db
    .select({ id: orders.id })
    .from(orders)
    .where(and(eq(orders.status, 'paid'), eq(orders.backordered, true)))
    .orderBy(asc(orders.paidAt), asc(orders.orderNumber));
  let fulfilled = 0;
  for (const [i, o] of waiting.entries()) {
    const result = await fulfilOrder({ ctx, orderId: o.id });
    if (result === 'backordered') return { fulfilled, waiting: waiting.length - i };
    if (result === 'fulfilled') fulfilled++;
  }
  return { fulfilled, waiting: 0 };
}

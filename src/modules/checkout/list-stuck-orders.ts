import { and, asc, eq, lt, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { orders, users } from '../../db/schema.js';
import type { PurchaseKind } from '../../shared/purchase-kind.js';
import { STUCK_AFTER_MINUTES } from './list-orders.js';

export type ListStuckOrdersOptions = { db: DbOrTx; olderThanMinutes?: number; now?: Date };

export type StuckOrder = {
  id: string;
  orderNumber: number;
  email: string | null;
  planName: string;
  kind: PurchaseKind;
  /** Paid and waiting for stock: more senders, not a retry, unblocks it. */
  backordered: boolean;
  paidAt: Date | null;
  minutesSincePaid: number;
};

/** Paid orders that fulfilment has not completed for a while (the job normally takes seconds), oldest first. */
export async function listStuckOrders({ db, olderThanMinutes = STUCK_AFTER_MINUTES, now = new Date() }: ListStuckOrdersOptions): Promise<StuckOrder[]> {
  const cutoff = new Date(now.getTime() - olderThanMinutes * 60_000);
  const rows = await db
    .select({
      id: orders.id,
      orderNumber: orders.orderNumber,
      email: users.email,
      planName: orders.planName,
      kind: orders.kind,
      backordered: orders.backordered,
      paidAt: orders.paidAt,
    })
    .from(orders)
    .innerJoin(users, eq(users.id, orders.userId))
    .where(and(eq(orders.status, 'paid'), lt(sql`coalesce(${orders.paidAt}, ${orders.createdAt})`, cutoff)))
    .orderBy(asc(orders.paidAt), asc(orders.orderNumber));
  return rows.map((r) => ({
    ...r,
    orderNumber: Number(r.orderNumber),
    minutesSincePaid: r.paidAt ? Math.floor((now.getTime() - r.paidAt.getTime()) / 60_000) : olderThanMinutes,
  }));
}

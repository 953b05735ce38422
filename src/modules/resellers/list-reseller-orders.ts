import { desc, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { commissions, orders, resellers, users } from '../../db/schema.js';
import { maskEmail } from './mask-email.js';
import { centsToUsd } from './money.js';

export type ResellerOrder = {
  orderNumber: number;
  customerEmail: string | null;
  planName: string;
  priceUsd: number;
  /** Booked at fulfilment; null before; 0 once the order is refunded (the commission is reversed). */
  commissionUsd: number | null;
  status: 'pending' | 'partially_paid' | 'paid' | 'fulfilled' | 'expired' | 'failed' | 'refunded' | 'cancelled';
  createdAt: Date;
};

export type ListResellerOrdersOptions = { db: DbOrTx; userId: string; limit: number; offset: number };

/** Orders attributed to the reseller whose user id this is, newest first, one page and the total. */
export async function listResellerOrders({ db, userId, limit, offset }: ListResellerOrdersOptions): Promise<{ orders: ResellerOrder[]; total: number }> {
  const [count] = await db
    .select({ n: sql<number>`count(*)`.mapWith(Number) })
    .from(orders)
    .innerJoin(resellers, eq(resellers.id, orders.resellerId))
    .where(eq(resellers.userId, userId));
  const rows = await db
    .select({
      orderNumber: orders.orderNumber,
      email: users.email,
      planName: orders.planName,
      priceCents: orders.priceCents,
      commissionCents: commissions.amountCents,
      status: orders.status,
      createdAt: orders.createdAt,
    })
    .from(orders)
    .innerJoin(resellers, eq(resellers.id, orders.resellerId))
    .innerJoin(users, eq(users.id, orders.userId))
    .leftJoin(commissions, eq(commissions.orderId, orders.id))
    .where(eq(resellers.userId, userId))
    .orderBy(desc(orders.createdAt), desc(orders.orderNumber))
    .limit(limit)
    .offset(offset);
  const list = rows.map((r) => ({
    orderNumber: r.orderNumber,
    customerEmail: maskEmail(r.email),
    planName: r.planName,
    priceUsd: centsToUsd(r.priceCents),
    commissionUsd: r.commissionCents === null ? null : r.status === 'refunded' ? 0 : centsToUsd(r.commissionCents),
    status: r.status,
    createdAt: r.createdAt,
  }));
  return { orders: list, total: count?.n ?? 0 };
}

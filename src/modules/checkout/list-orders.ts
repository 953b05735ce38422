import { and, asc, desc, eq, ilike, type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { orders, payments, resellers, users } from '../../db/schema.js';
import type { Sort } from '../../lib/sort.js';
import type { PurchaseKind } from '../../shared/purchase-kind.js';

export const orderStatuses = orders.status.enumValues;
export type OrderStatus = (typeof orderStatuses)[number];

/** Paid but not fulfilled for this long: something needs a look (the job normally takes seconds). */
export const STUCK_AFTER_MINUTES = 10;

export type AttentionReason = 'backordered' | 'stuck' | 'underpaid';

export type AdminOrderRow = {
  id: string;
  orderNumber: number;
  email: string | null;
  planName: string;
  priceUsd: number;
  kind: PurchaseKind;
  status: OrderStatus;
  backordered: boolean;
  attention: AttentionReason | null;
  paymentStatus: string | null;
  payCurrency: string;
  payAmount: string | null;
  actuallyPaid: string | null;
  /** The referral code the sale is attributed to, if any. */
  resellerCode: string | null;
  createdAt: Date;
  paidAt: Date | null;
  fulfilledAt: Date | null;
};

/** Columns an admin can sort the order list by. */
export const orderSortFields = ['number', 'customer', 'price', 'status', 'created'] as const;
export type OrderSortField = (typeof orderSortFields)[number];

export type ListOrdersOptions = { db: DbOrTx; status?: OrderStatus; email?: string; sort?: Sort<OrderSortField> | undefined; limit: number; offset: number };

const orderSortColumns = {
  number: orders.orderNumber,
  customer: users.email,
  price: orders.priceCents,
  status: orders.status,
  created: orders.createdAt,
} as const;

/** Why an order needs an operator, in SQL, so the list can sort on it. */
export const attentionSql = sql<AttentionReason | null>`case
  when ${orders.backordered} then 'backordered'
  when ${orders.status} = 'paid' and ${orders.paidAt} < now() - make_interval(mins => ${STUCK_AFTER_MINUTES}) then 'stuck'
  when ${orders.status} = 'partially_paid' then 'underpaid'
  else null end`;

/**
 * Orders for the admin: in the order asked for, or else — unfiltered — the ones needing attention
 * first, then newest. Ties always break on the order number, so pages never overlap.
 */
export async function listOrders({ db, status, email, sort, limit, offset }: ListOrdersOptions): Promise<{ orders: AdminOrderRow[]; total: number }> {
  const conditions: SQL[] = [];
  if (status) conditions.push(eq(orders.status, status));
  if (email) conditions.push(ilike(users.email, `%${escapeLike(email)}%`));
  const where = conditions.length ? and(...conditions) : undefined;
  const filtered = conditions.length > 0;

  const [rows, [count]] = await Promise.all([
    db
      .select({
        id: orders.id,
        orderNumber: orders.orderNumber,
        email: users.email,
        planName: orders.planName,
        priceCents: orders.priceCents,
        kind: orders.kind,
        status: orders.status,
        backordered: orders.backordered,
        attention: attentionSql,
        paymentStatus: payments.status,
        payCurrency: orders.payCurrency,
        payAmount: payments.payAmount,
        actuallyPaid: payments.actuallyPaid,
        resellerCode: resellers.referralCode,
        createdAt: orders.createdAt,
        paidAt: orders.paidAt,
        fulfilledAt: orders.fulfilledAt,
      })
      .from(orders)
      .innerJoin(users, eq(users.id, orders.userId))
      .leftJoin(payments, eq(payments.orderId, orders.id))
      .leftJoin(resellers, eq(resellers.id, orders.resellerId))
      .where(where)
      .orderBy(
        ...(sort
          ? [(sort.dir === 'asc' ? asc : desc)(orderSortColumns[sort.field])]
          : [...(filtered ? [] : [sql`(${attentionSql}) is null`]), desc(orders.createdAt)]),
        desc(orders.orderNumber),
      )
      .limit(limit)
      .offset(offset),
    db.select({ n: sql<number>`count(*)::int` }).from(orders).innerJoin(users, eq(users.id, orders.userId)).where(where),
  ]);
  return {
    orders: rows.map(({ priceCents, ...r }) => ({ ...r, orderNumber: Number(r.orderNumber), priceUsd: priceCents / 100 })),
    total: Number(count?.n ?? 0),
  };
}

export function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

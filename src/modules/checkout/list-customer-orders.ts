// A customer's own orders, newest first, each with what its payments received in its coin: the
// dashboard's Orders page. Amounts come from orderReceived's rule, so the list, the receipt and
// the state machine never disagree about what a re-deposit added.
import { count, desc, eq, inArray } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { orders, payments } from '../../db/schema.js';
import type { AppContext } from '../../platform/app-context.js';
import { hasReceipt } from '../../shared/api/receipts.js';
import type { PurchaseKind } from '../../shared/purchase-kind.js';
import { type SummariseOptions, summariseReceived } from '../payments/order-received.js';
import type { OrderStatus } from './list-orders.js';

type PaymentRow = typeof payments.$inferSelect;

export type OrderAmounts = { payCurrency: string; due: string | null; received: string; surplus: string | null };

export type CustomerOrderRow = {
  orderNumber: number;
  planName: string;
  planSlug: string;
  kind: PurchaseKind;
  priceUsd: number;
  status: OrderStatus;
  amounts: OrderAmounts;
  creditedDays: number | null;
  hasReceipt: boolean;
  createdAt: Date;
  paidAt: Date | null;
  fulfilledAt: Date | null;
};

export type ListCustomerOrdersOptions = {
  db: DbOrTx;
  /** The session's user: never an id taken from the request. */
  userId: string;
  received: SummariseOptions;
  limit: number;
  offset: number;
};

/** How an order's payments add up: the same tolerance and settled statuses the state machine uses. */
export function receivedRule(ctx: AppContext): SummariseOptions {
  return { tolerancePercent: ctx.config.nowpayments.underpaidTolerancePercent, fulfilOnConfirmed: ctx.config.nowpayments.fulfilOnConfirmed };
}

/** The order's amounts in its coin; before any invoice exists, nothing is due yet and nothing arrived. */
export function orderAmounts(payCurrency: string, rows: readonly PaymentRow[], opts: SummariseOptions): OrderAmounts {
  const sum = summariseReceived(rows, opts);
  if (!sum) return { payCurrency: payCurrency.toLowerCase(), due: null, received: '0', surplus: null };
  return { payCurrency: sum.payCurrency, due: sum.due, received: sum.received, surplus: sum.surplus };
}

export async function listCustomerOrders({
  db,
  userId,
  received,
  limit,
  offset,
}: ListCustomerOrdersOptions): Promise<{ orders: CustomerOrderRow[]; total: number }> {
  const [page, [counted]] = await Promise.all([
    db
      .select()
      .from(orders)
      .where(eq(orders.userId, userId))
      // The order number breaks ties, so two orders of one instant never swap between pages.
      .orderBy(desc(orders.createdAt), desc(orders.orderNumber))
      .limit(limit)
      .offset(offset),
    db.select({ n: count() }).from(orders).where(eq(orders.userId, userId)),
  ]);
  // One query for the page's payments, not one per order.
  const paid = page.length
    ? await db
        .select()
        .from(payments)
        .where(
          inArray(
            payments.orderId,
            page.map((o) => o.id),
          ),
        )
    : [];
  const byOrder = new Map<string, PaymentRow[]>();
  for (const p of paid) byOrder.set(p.orderId, [...(byOrder.get(p.orderId) ?? []), p]);
  return {
    orders: page.map((o) => ({
      orderNumber: Number(o.orderNumber),
      planName: o.planName,
      planSlug: o.planSlug,
      kind: o.kind,
      priceUsd: o.priceCents / 100,
      status: o.status,
      amounts: orderAmounts(o.payCurrency, byOrder.get(o.id) ?? [], received),
      creditedDays: o.creditedDays,
      hasReceipt: hasReceipt(o.status),
      createdAt: o.createdAt,
      paidAt: o.paidAt,
      fulfilledAt: o.fulfilledAt,
    })),
    total: Number(counted?.n ?? 0),
  };
}

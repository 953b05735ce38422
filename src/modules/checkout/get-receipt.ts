// The receipt of a paid order: who sold what to whom, when it was paid, for how much in USD and
// in the coin, through which payments, and what it bought. One builder for the dashboard's
// receipt page and the receipt email, so the two can never tell different stories.
import { and, asc, eq, type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { preparedFor } from '../../db/prepared.js';
import { orders, payments, users } from '../../db/schema.js';
import { AppError } from '../../lib/errors.js';
import { hasReceipt, type receiptStatuses, SELLER_NAME } from '../../shared/api/receipts.js';
import type { PurchaseKind } from '../../shared/purchase-kind.js';
import type { SummariseOptions } from '../payments/order-received.js';
import { type OrderAmounts, orderAmounts } from './list-customer-orders.js';

export type ReceiptView = {
  seller: { name: string; website: string };
  orderId: string;
  orderNumber: number;
  status: (typeof receiptStatuses)[number];
  customerEmail: string | null;
  createdAt: Date;
  paidAt: Date | null;
  fulfilledAt: Date | null;
  plan: { name: string; slug: string; senders: number; postingIntervalSeconds: number; validityDays: number };
  priceUsd: number;
  amounts: OrderAmounts;
  payments: {
    providerPaymentId: string | null;
    role: 'invoice' | 'top_up';
    status: string;
    received: string | null;
    payCurrency: string;
    network: string | null;
    createdAt: Date;
  }[];
  bought: { kind: PurchaseKind; creditedDays: number | null; days: number };
};

export type GetReceiptOptions = {
  db: DbOrTx;
  /** The session's user: another customer's order is "not found", never "forbidden" (no oracle for order numbers). */
  userId: string;
  orderNumber: number;
  received: SummariseOptions;
  publicUrl: string;
};

export async function getReceipt({ db, userId, orderNumber, received, publicUrl }: GetReceiptOptions): Promise<ReceiptView> {
  const receipt = await loadReceipt(db, and(eq(orders.orderNumber, orderNumber), eq(orders.userId, userId))!, { received, publicUrl });
  if (!receipt) throw new AppError('not_found', `You have no order #${orderNumber}`);
  return receipt;
}

export type LoadReceiptOptions = { received: SummariseOptions; publicUrl: string };

/**
 * The receipt of the one order `where` selects; null when there is none. Throws `conflict` for
 * an order whose money has not arrived: a receipt is proof of payment, not an invoice.
 */
export async function loadReceipt(db: DbOrTx, where: SQL | { orderId: string }, opts: LoadReceiptOptions): Promise<ReceiptView | null> {
  // The order and its payments in one statement (one row per payment): the receipt email is
  // queued on the IPN's path, where every round trip holds the order's lock a little longer,
  // so the by-id form is prepared once (src/db/prepared.ts).
  const rows =
    'orderId' in where
      ? await preparedFor(db, 'receipt_by_order_id', (d) => receiptRows(d, eq(orders.id, sql.placeholder('orderId'))).prepare('receipt_by_order_id')).execute(
          where,
        )
      : await receiptRows(db, where);
  return receiptOf(rows, opts);
}

function receiptRows(db: DbOrTx, where: SQL) {
  return db
    .select({ order: orders, email: users.email, payment: payments })
    .from(orders)
    .innerJoin(users, eq(users.id, orders.userId))
    .leftJoin(payments, eq(payments.orderId, orders.id))
    .where(where)
    .orderBy(asc(payments.createdAt));
}

/** One row per payment of the order (or one with no payment), as the receipt reads them. */
export type ReceiptRow = Awaited<ReturnType<typeof receiptRows>>[number];

/** The receipt from rows the caller already has (the paid-IPN path builds its email from its own read). */
export function receiptOf(rows: ReceiptRow[], opts: LoadReceiptOptions): ReceiptView | null {
  const row = rows[0];
  if (!row) return null;
  const { order: o } = row;
  if (!hasReceipt(o.status)) {
    throw new AppError('conflict', `Order #${o.orderNumber} is not paid yet: its receipt exists once the payment arrives`);
  }
  const paid = rows.flatMap((r) => (r.payment ? [r.payment] : []));
  return {
    seller: { name: SELLER_NAME, website: opts.publicUrl },
    orderId: o.id,
    orderNumber: Number(o.orderNumber),
    status: o.status as ReceiptView['status'],
    customerEmail: row.email,
    createdAt: o.createdAt,
    paidAt: o.paidAt,
    fulfilledAt: o.fulfilledAt,
    plan: { name: o.planName, slug: o.planSlug, senders: o.senders, postingIntervalSeconds: o.postingIntervalSeconds, validityDays: o.validityDays },
    priceUsd: o.priceCents / 100,
    amounts: orderAmounts(o.payCurrency, paid, opts.received),
    payments: paid
      // A payment the provider never confirmed existing (the invoice being created) has nothing to show.
      .filter((p) => p.providerPaymentId !== null)
      .map((p) => ({
        providerPaymentId: p.providerPaymentId,
        role: p.parentProviderPaymentId === null ? ('invoice' as const) : ('top_up' as const),
        status: p.status,
        received: p.actuallyPaid,
        payCurrency: p.payCurrency.toLowerCase(),
        network: p.network,
        createdAt: p.createdAt,
      })),
    bought: { kind: o.kind, creditedDays: o.creditedDays, days: o.creditedDays ?? o.validityDays },
  };
}

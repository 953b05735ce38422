// The checkout a customer already has open: resumed on a refresh or a second click instead of
// minting another invoice, and the one still being created, which makes a second request wait.
import { and, desc, eq, gt, inArray, isNotNull, or, type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { orders, payments, users } from '../../db/schema.js';
import { type PublicPaymentStatus, toPublicStatus } from '../payments/payment-status.js';

export type CheckoutPayment = {
  /** false when a pending payment of the same email, plan and coin was returned again. */
  created: boolean;
  orderId: string;
  orderNumber: number;
  paymentId: string;
  payAddress: string;
  payAmount: string;
  payCurrency: string;
  priceUsd: number;
  expiresAt: Date;
  status: PublicPaymentStatus;
  /** Plaintext once, at creation; never again (someone who only knows an email must not get one). */
  checkoutSecret: string | null;
};

/** A `creating` payment younger than this is taken as a request still talking to the provider. */
export const CREATING_BUSY_MS = 2 * 60 * 1000;

type FindPendingPaymentOptions = { db: DbOrTx; email: string; planId: string; currency: string };

/**
 * Refresh or a second click resumes the invoice already open instead of minting another: one
 * waiting for money, one whose money is arriving (however late), or one underpaid and still open.
 */
export async function findPendingPayment({ db, email, planId, currency }: FindPendingPaymentOptions): Promise<CheckoutPayment | null> {
  const [row] = await db
    .select({ order: orders, payment: payments })
    .from(orders)
    .innerJoin(users, eq(users.id, orders.userId))
    .innerJoin(payments, eq(payments.orderId, orders.id))
    .where(and(eq(users.email, email), eq(orders.planId, planId), eq(orders.payCurrency, currency), pendingCondition()))
    .orderBy(desc(orders.createdAt))
    .limit(1);
  return row ? toCheckoutPayment(row) : null;
}

export type OpenCheckout = { creating: true } | { creating: false; pending: CheckoutPayment | null };

/** The open checkout's columns in the caller's row, all null when there is none. Raw: bigint and (node-postgres) timestamptz as text. */
export type OpenCheckoutRow = {
  openOrderId: string | null;
  openOrderNumber: string | number | null;
  openPriceCents: number | null;
  openPaymentStatus: (typeof payments.$inferSelect)['status'] | null;
  openPaymentId: string | null;
  openPayAddress: string | null;
  openPayAmount: string | null;
  openPayCurrency: string | null;
  openExpiresAt: string | Date | null;
};

/**
 * For checkout's statement under the email's lock (one snapshot, one round trip, placeholders
 * `email`, `planId`, `payCurrency`, `since` and `now`): whether a twin request is still creating
 * this checkout's invoice (a `creating` payment younger than `since`), else the pending payment
 * to resume. One snapshot cannot miss the twin's payment between the two states: its move from
 * `creating` to `waiting` is a single commit. Columns as in OpenCheckoutRow.
 */
export function openCheckoutSql(): SQL {
  const p = sql.placeholder;
  const where = and(
    eq(users.email, p('email')),
    eq(orders.planId, p('planId')),
    eq(orders.payCurrency, p('payCurrency')),
    or(and(eq(payments.status, 'creating'), gt(payments.createdAt, p('since'))), pendingCondition()),
  );
  return sql`select ${orders.id} as "openOrderId", ${orders.orderNumber} as "openOrderNumber", ${orders.priceCents} as "openPriceCents",
      ${payments.status} as "openPaymentStatus", ${payments.providerPaymentId} as "openPaymentId", ${payments.payAddress} as "openPayAddress",
      ${payments.payAmount}::text as "openPayAmount", ${payments.payCurrency} as "openPayCurrency", ${payments.expiresAt} as "openExpiresAt"
    from ${orders} inner join ${users} on ${eq(users.id, orders.userId)} inner join ${payments} on ${eq(payments.orderId, orders.id)}
    where ${where}
    -- A payment being created wins over one to resume.
    order by ${payments.status} = 'creating' desc, ${orders.createdAt} desc
    limit 1`;
}

export function openCheckoutFrom(row: OpenCheckoutRow): OpenCheckout {
  if (row.openOrderId === null) return { creating: false, pending: null };
  if (row.openPaymentStatus === 'creating') return { creating: true };
  return {
    creating: false,
    pending: {
      created: false,
      orderId: row.openOrderId,
      orderNumber: Number(row.openOrderNumber),
      paymentId: row.openPaymentId!,
      payAddress: row.openPayAddress ?? '',
      payAmount: row.openPayAmount ?? '',
      payCurrency: row.openPayCurrency!,
      priceUsd: row.openPriceCents! / 100,
      expiresAt: new Date(row.openExpiresAt!),
      status: toPublicStatus(row.openPaymentStatus!),
      checkoutSecret: null,
    },
  };
}

/** An invoice still open for money: waiting, money arriving (however late), or underpaid and not expired (`now` a placeholder). */
function pendingCondition() {
  return and(
    inArray(orders.status, ['pending', 'partially_paid']),
    isNotNull(payments.providerPaymentId),
    or(
      inArray(payments.status, ['confirming', 'confirmed', 'sending']),
      and(inArray(payments.status, ['waiting', 'partially_paid']), gt(payments.expiresAt, sql.placeholder('now'))),
    ),
  );
}

type Row = { order: typeof orders.$inferSelect; payment: typeof payments.$inferSelect };

function toCheckoutPayment({ order, payment }: Row): CheckoutPayment {
  return {
    created: false,
    orderId: order.id,
    orderNumber: order.orderNumber,
    paymentId: payment.providerPaymentId!,
    payAddress: payment.payAddress ?? '',
    payAmount: payment.payAmount ?? '',
    payCurrency: payment.payCurrency,
    priceUsd: order.priceCents / 100,
    expiresAt: payment.expiresAt!,
    status: toPublicStatus(payment.status),
    checkoutSecret: null,
  };
}

// The checkout a customer already has open: resumed on a refresh or a second click instead of
// minting another invoice, and the one still being created, which makes a second request wait.
import { and, desc, eq, gt, inArray, isNotNull, or, sql } from 'drizzle-orm';
import type { DbOrTx, Tx } from '../../db/client.js';
import { preparedFor } from '../../db/prepared.js';
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

type FindOpenCheckoutOptions = { tx: Tx; email: string; planId: string; currency: string; since: Date };
export type OpenCheckout = { creating: true } | { creating: false; pending: CheckoutPayment | null };

/**
 * Under the checkout lock, in one statement (one snapshot, one round trip): whether a twin
 * request is still creating this checkout's invoice (a `creating` payment younger than
 * `since`), else the pending payment to resume. One snapshot cannot miss the twin's payment
 * between the two states: its move from `creating` to `waiting` is a single commit.
 */
export async function findOpenCheckout({ tx, email, planId, currency, since }: FindOpenCheckoutOptions): Promise<OpenCheckout> {
  // Every checkout asks it under the email's lock: prepared once (src/db/prepared.ts).
  const [row] = await preparedFor(tx, 'checkout_open_by_email', openCheckoutQuery).execute({
    email,
    planId,
    currency,
    since: since.toISOString(),
    now: new Date().toISOString(),
  });
  if (!row) return { creating: false, pending: null };
  if (row.payment.status === 'creating') return { creating: true };
  return { creating: false, pending: toCheckoutPayment(row) };
}

function openCheckoutQuery(db: DbOrTx) {
  return (
    db
      .select({ order: orders, payment: payments })
      .from(orders)
      .innerJoin(users, eq(users.id, orders.userId))
      .innerJoin(payments, eq(payments.orderId, orders.id))
      .where(
        and(
          eq(users.email, sql.placeholder('email')),
          eq(orders.planId, sql.placeholder('planId')),
          eq(orders.payCurrency, sql.placeholder('currency')),
          or(and(eq(payments.status, 'creating'), gt(payments.createdAt, sql.placeholder('since'))), pendingCondition()),
        ),
      )
      // A payment being created wins over one to resume.
      .orderBy(sql`${payments.status} = 'creating' desc`, desc(orders.createdAt))
      .limit(1)
      .prepare('checkout_open_by_email')
  );
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

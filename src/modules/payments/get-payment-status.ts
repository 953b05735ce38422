import Big from 'big.js';
import { and, eq, sql } from 'drizzle-orm';
import { orders, paymentEvents, payments } from '../../db/schema.js';
import { mapProviderStatus } from '../../integrations/payment-provider.js';
import { sha256 } from '../../lib/crypto.js';
import { AppError } from '../../lib/errors.js';
import type { AppContext } from '../../platform/app-context.js';
import { listOrderPayments, type OrderReceived, summariseReceived } from './order-received.js';
import { type PaymentStatus, type ProviderStatus, type PublicPaymentStatus, toPublicStatus } from './payment-status.js';

export type GetPaymentStatusOptions = {
  ctx: AppContext;
  paymentId: string;
  /** The order's checkout secret, as the paying browser holds it: unlocks the full view. */
  checkoutSecret?: string;
  /** The logged-in caller, if any: the order's owner also sees the full view. */
  viewerUserId?: string;
};

/** What anyone who knows a provider payment id sees (SPEC §6): no order, plan, price or address. */
export type PublicPaymentStatusView = { paymentId: string; status: PublicPaymentStatus; orderStatus: (typeof orders.status.enumValues)[number] };

/** One transfer the provider counted for the order: the invoice's own, or a re-deposit (top-up). */
export type DepositView = { paymentId: string; topUp: boolean; status: ProviderStatus; amount: string | null };

/**
 * A provider status the invoice reached, and when we first heard of it. NOWPayments reports no
 * confirmation count (its payment object has statuses only), so the stages are the count.
 */
export type StageView = { status: ProviderStatus; at: string };

export type PaymentStatusView = PublicPaymentStatusView & {
  orderId: string;
  orderNumber: number;
  planSlug: string;
  planName: string;
  priceUsd: number;
  payAddress: string | null;
  payAmount: string | null;
  payCurrency: string;
  network: string | null;
  payinExtraId: string | null;
  actuallyPaid: string | null;
  received: string;
  confirming: string | null;
  missingAmount: string | null;
  surplus: string | null;
  deposits: DepositView[];
  stages: StageView[];
  expiresAt: string | null;
  backordered: boolean;
};

type PaymentRow = typeof payments.$inferSelect;

/**
 * What the checkout page polls, keyed by the provider's id of the order's invoice. Provider ids
 * are sequential, so the id alone gets only the status; the order's details (number, plan, price,
 * pay address, amounts) need the checkout secret the paying browser was given, or the owner's
 * session. Amounts are the order's, across the invoice and its re-deposits (orderReceived).
 */
export async function getPaymentStatus({
  ctx,
  paymentId,
  checkoutSecret,
  viewerUserId,
}: GetPaymentStatusOptions): Promise<PaymentStatusView | PublicPaymentStatusView> {
  const [row] = await ctx.db
    .select({ payment: payments, order: orders })
    .from(payments)
    .innerJoin(orders, eq(orders.id, payments.orderId))
    .where(eq(payments.providerPaymentId, paymentId));
  if (!row) throw new AppError('not_found', 'No payment with this id');
  const { payment, order } = row;
  const status = toPublicStatus(payment.status);
  const holdsSecret = !!checkoutSecret && !!order.checkoutSecretHash && sha256(checkoutSecret.trim()) === order.checkoutSecretHash;
  if (!holdsSecret && viewerUserId !== order.userId) return { paymentId, status, orderStatus: order.status };

  const rows = await listOrderPayments(ctx.db, order.id);
  const { underpaidTolerancePercent, fulfilOnConfirmed } = ctx.config.nowpayments;
  const sum = summariseReceived(rows, { tolerancePercent: underpaidTolerancePercent, fulfilOnConfirmed });
  // The page is keyed by the invoice; a re-deposit's id (from an admin link, say) shows its invoice.
  const invoice = rows.find((r) => r.parentProviderPaymentId === null) ?? payment;
  const underpaid = status === 'partially_paid' || order.status === 'partially_paid';
  return {
    paymentId,
    status,
    orderStatus: order.status,
    orderId: order.id,
    orderNumber: order.orderNumber,
    planSlug: order.planSlug,
    planName: order.planName,
    priceUsd: order.priceCents / 100,
    payAddress: invoice.payAddress,
    payAmount: invoice.payAmount,
    payCurrency: invoice.payCurrency,
    network: invoice.network,
    payinExtraId: invoice.payinExtraId,
    actuallyPaid: invoice.actuallyPaid,
    received: sum?.received ?? '0',
    confirming: stillConfirming(sum),
    missingAmount: underpaid && sum?.missing && new Big(sum.missing).gt(0) ? sum.missing : null,
    surplus: sum?.surplus ?? null,
    deposits: depositsOf(rows),
    stages: await stagesOf(ctx, invoice),
    expiresAt: invoice.expiresAt?.toISOString() ?? null,
    backordered: order.backordered,
  };
}

/** Seen on the chain but not yet settled: the part of `seen` still waiting for confirmations. */
function stillConfirming(sum: OrderReceived | null): string | null {
  if (!sum) return null;
  const pending = new Big(sum.seen).minus(sum.received);
  return pending.gt(0) ? pending.toString() : null;
}

/** Every transfer, the invoice first, then re-deposits in the order they arrived. */
function depositsOf(rows: readonly PaymentRow[]): DepositView[] {
  return [...rows]
    .filter((r) => r.providerPaymentId !== null)
    .sort((a, b) => Number(a.parentProviderPaymentId !== null) - Number(b.parentProviderPaymentId !== null) || a.createdAt.getTime() - b.createdAt.getTime())
    .map((r) => ({ paymentId: r.providerPaymentId!, topUp: r.parentProviderPaymentId !== null, status: providerStatusOf(r.status), amount: r.actuallyPaid }));
}

/**
 * The statuses the invoice went through, each at the first applied report of it (IPN, poll or
 * simulation; the audit rows of payment_events), oldest first. `waiting` is when it was made.
 */
async function stagesOf(ctx: AppContext, invoice: PaymentRow): Promise<StageView[]> {
  if (!invoice.providerPaymentId) return [];
  const reached = await ctx.db
    .select({ status: paymentEvents.status, at: sql<Date | string>`min(${paymentEvents.receivedAt})` })
    .from(paymentEvents)
    // By the order first: payment_events grows with every IPN, and this runs on every pay-step poll.
    .where(
      and(eq(paymentEvents.orderId, invoice.orderId), eq(paymentEvents.providerPaymentId, invoice.providerPaymentId), eq(paymentEvents.verdict, 'applied')),
    )
    .groupBy(paymentEvents.status);
  const first = new Map<ProviderStatus, string>([['waiting', invoice.createdAt.toISOString()]]);
  for (const r of reached) {
    const status = mapProviderStatus(r.status);
    if (!status || status === 'waiting') continue;
    const at = new Date(r.at).toISOString();
    const seen = first.get(status);
    if (seen === undefined || at < seen) first.set(status, at);
  }
  return [...first].map(([status, at]) => ({ status, at })).sort((a, b) => a.at.localeCompare(b.at));
}

const providerStatusOf = (s: PaymentStatus): ProviderStatus => (s === 'creating' ? 'waiting' : s);

import { eq } from 'drizzle-orm';
import { orders, payments } from '../../db/schema.js';
import { subtractAmounts } from '../../lib/coin-amount.js';
import { sha256 } from '../../lib/crypto.js';
import { AppError } from '../../lib/errors.js';
import type { AppContext } from '../../platform/app-context.js';
import { type PublicPaymentStatus, toPublicStatus } from './payment-status.js';

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

export type PaymentStatusView = PublicPaymentStatusView & {
  orderId: string;
  orderNumber: number;
  planSlug: string;
  planName: string;
  priceUsd: number;
  payAddress: string | null;
  payAmount: string | null;
  payCurrency: string;
  actuallyPaid: string | null;
  missingAmount: string | null;
  expiresAt: string | null;
  backordered: boolean;
};

/**
 * What the checkout page polls, keyed by the provider's payment id. Provider ids are sequential,
 * so the id alone gets only the status; the order's details (number, plan, price, pay address)
 * need the checkout secret the paying browser was given, or the owner's session.
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
  return {
    paymentId,
    status,
    orderStatus: order.status,
    orderId: order.id,
    orderNumber: order.orderNumber,
    planSlug: order.planSlug,
    planName: order.planName,
    priceUsd: order.priceCents / 100,
    payAddress: payment.payAddress,
    payAmount: payment.payAmount,
    payCurrency: payment.payCurrency,
    actuallyPaid: payment.actuallyPaid,
    missingAmount: status === 'partially_paid' ? subtractAmounts(payment.payAmount, payment.actuallyPaid ?? '0') : null,
    expiresAt: payment.expiresAt?.toISOString() ?? null,
    backordered: order.backordered,
  };
}

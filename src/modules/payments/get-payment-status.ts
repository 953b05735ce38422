import { eq } from 'drizzle-orm';
import type { AppContext } from '../../context.js';
import { orders, payments } from '../../db/schema.js';
import { AppError } from '../../lib/errors.js';
import { subtractAmounts } from './coin-amount.js';
import { type PublicPaymentStatus, toPublicStatus } from './payment-status.js';

export type GetPaymentStatusOptions = { ctx: AppContext; paymentId: string };

export type PaymentStatusView = {
  paymentId: string;
  status: PublicPaymentStatus;
  orderStatus: string;
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

/** What the checkout page polls. Keyed by the provider's payment id, which the page already shows. */
export async function getPaymentStatus({ ctx, paymentId }: GetPaymentStatusOptions): Promise<PaymentStatusView> {
  const [row] = await ctx.db
    .select({ payment: payments, order: orders })
    .from(payments)
    .innerJoin(orders, eq(orders.id, payments.orderId))
    .where(eq(payments.providerPaymentId, paymentId));
  if (!row) throw new AppError('not_found', 'No payment with this id');
  const { payment, order } = row;
  const status = toPublicStatus(payment.status);
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

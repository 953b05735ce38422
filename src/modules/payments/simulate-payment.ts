// Test mode's "simulate payment": builds the IPN NOWPayments would send, signs it, and
// delivers it over HTTP to our own webhook, so the demo exercises the production path.
import { eq } from 'drizzle-orm';
import { orders, payments } from '../../db/schema.js';
import { AppError } from '../../lib/errors.js';
import type { AppContext } from '../../platform/app-context.js';
import { signIpn } from './ipn-signature.js';
import { IPN_SIGNATURE_HEADER } from './receive-ipn.js';

export const simulatableStatuses = ['confirming', 'finished', 'partially_paid', 'expired', 'failed'] as const;

export type SimulatePaymentOptions = {
  ctx: AppContext;
  paymentId: string;
  status: (typeof simulatableStatuses)[number];
  actuallyPaid?: string | undefined;
};

export type SimulatePaymentResult = { httpStatus: number; verdict: string | null; status: string | null; orderStatus: string | null };

export async function simulatePayment({ ctx, paymentId, status, actuallyPaid }: SimulatePaymentOptions): Promise<SimulatePaymentResult> {
  if (!ctx.config.testMode) throw new AppError('not_found', 'Payment simulation exists only in test mode');
  const [row] = await ctx.db
    .select({ payment: payments, order: orders })
    .from(payments)
    .innerJoin(orders, eq(orders.id, payments.orderId))
    .where(eq(payments.providerPaymentId, paymentId));
  if (!row) throw new AppError('not_found', 'No payment with this id');
  const { payment, order } = row;
  const payAmount = Number(payment.payAmount ?? '0');
  const paid =
    actuallyPaid !== undefined
      ? Number(actuallyPaid)
      : status === 'finished'
        ? payAmount
        : status === 'partially_paid'
          ? Number((payAmount / 2).toPrecision(8))
          : status === 'confirming'
            ? payAmount
            : // NOWPayments keeps reporting what already arrived after a partial payment, so a
              // later "expired"/"failed" must not claim the customer sent nothing.
              Number(payment.actuallyPaid ?? '0');
  const numericId = Number(paymentId);
  const body = {
    payment_id: Number.isSafeInteger(numericId) ? numericId : paymentId,
    invoice_id: null,
    payment_status: status,
    pay_address: payment.payAddress,
    price_amount: order.priceCents / 100,
    price_currency: 'usd',
    pay_amount: payAmount,
    actually_paid: paid,
    pay_currency: payment.payCurrency,
    order_id: order.id,
    order_description: `HQAdz ${order.planName} (order #${order.orderNumber})`,
    purchase_id: `sandbox-${payment.id}`,
    outcome_amount: paid,
    outcome_currency: payment.payCurrency,
    created_at: payment.createdAt.toISOString(),
    updated_at: new Date().toISOString(),
  };
  let res: Response;
  try {
    res = await fetch(`${ctx.config.publicUrl}/api/payment/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [IPN_SIGNATURE_HEADER]: signIpn(body, ctx.config.nowpayments.ipnSecret) },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
  } catch (err) {
    ctx.log.error({ err, publicUrl: ctx.config.publicUrl }, 'simulated IPN could not reach our own webhook');
    throw new AppError('provider_unavailable', `The simulated IPN could not reach ${ctx.config.publicUrl}/api/payment/webhook; check PUBLIC_URL`);
  }
  const json = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' ? v : null);
  return {
    httpStatus: res.status,
    verdict: str(json.verdict) ?? str((json.error as Record<string, unknown> | undefined)?.code),
    status: str(json.status),
    orderStatus: str(json.orderStatus),
  };
}

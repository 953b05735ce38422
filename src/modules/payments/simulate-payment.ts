// Test mode's "simulate payment": builds the IPN NOWPayments would send, signs it, and
// delivers it over HTTP to our own webhook, so the demo exercises the production path.
// A top-up behaves as NOWPayments does: coins sent again to a used address are a NEW payment
// (its own payment_id) whose parent_payment_id is the invoice's.
import Big from 'big.js';
import { and, desc, eq, inArray } from 'drizzle-orm';
import { orders, payments } from '../../db/schema.js';
import { AppError } from '../../lib/errors.js';
import type { AppContext } from '../../platform/app-context.js';
import { signIpn } from './ipn-signature.js';
import { orderReceived } from './order-received.js';
import { IPN_SIGNATURE_HEADER } from './receive-ipn.js';
import { sandboxPaymentId } from './sandbox/sandbox-provider.js';

export const simulatableStatuses = ['confirming', 'finished', 'partially_paid', 'expired', 'failed'] as const;

export type SimulatePaymentOptions = {
  ctx: AppContext;
  paymentId: string;
  status: (typeof simulatableStatuses)[number];
  actuallyPaid?: string | undefined;
  /** A re-deposit to the invoice's address: a child payment, made on the first top-up event. */
  topUp?: boolean | undefined;
};

export type SimulatePaymentResult = {
  httpStatus: number;
  verdict: string | null;
  status: string | null;
  orderStatus: string | null;
  /** The payment the IPN was about (the child's id for a top-up). */
  paymentId: string;
};

type Payment = typeof payments.$inferSelect;
type Order = typeof orders.$inferSelect;

export async function simulatePayment({ ctx, paymentId, status, actuallyPaid, topUp }: SimulatePaymentOptions): Promise<SimulatePaymentResult> {
  if (!ctx.config.testMode) throw new AppError('not_found', 'Payment simulation exists only in test mode');
  const [row] = await ctx.db
    .select({ payment: payments, order: orders })
    .from(payments)
    .innerJoin(orders, eq(orders.id, payments.orderId))
    .where(eq(payments.providerPaymentId, paymentId));
  if (!row) throw new AppError('not_found', 'No payment with this id');
  const { payment, order } = row;
  const body = topUp ? await topUpIpn(ctx, payment, order, status, actuallyPaid) : invoiceIpn(payment, order, status, actuallyPaid);
  return deliver(ctx, body);
}

/** The invoice's own IPN, with the amount NOWPayments would report for `status`. */
function invoiceIpn(payment: Payment, order: Order, status: SimulatePaymentOptions['status'], actuallyPaid: string | undefined) {
  const payAmount = Number(payment.payAmount ?? '0');
  const stored = Number(payment.actuallyPaid ?? '0');
  const paid =
    actuallyPaid !== undefined
      ? Number(actuallyPaid)
      : status === 'finished' || status === 'confirming'
        ? payAmount
        : status === 'partially_paid'
          ? Number((payAmount / 2).toPrecision(8))
          : // NOWPayments keeps reporting what already arrived after a partial payment, so a
            // later "expired"/"failed" must not claim the customer sent nothing.
            stored;
  if (status === 'partially_paid' && paid < stored) {
    // The provider never reports less than it already saw; the core keeps the larger amount, so
    // this "underpayment" would read as fully paid ("send the missing 0").
    throw new AppError(
      'unprocessable',
      `This payment already saw ${payment.actuallyPaid} ${payment.payCurrency.toUpperCase()}: it cannot be underpaid any more`,
    );
  }
  return ipnBody({ payment, order, providerPaymentId: payment.providerPaymentId!, status, paid, payAmount, parent: null });
}

/**
 * A re-deposit's IPN. Its events go to the newest child still open (so "seen" then "paid" is one
 * transfer), or to a new child. The default amount is what the order still misses.
 */
async function topUpIpn(ctx: AppContext, invoice: Payment, order: Order, status: SimulatePaymentOptions['status'], actuallyPaid: string | undefined) {
  if (invoice.parentProviderPaymentId !== null) throw new AppError('validation_error', 'paymentId: top up the invoice, not a re-deposit');
  const [open] = await ctx.db
    .select()
    .from(payments)
    .where(and(eq(payments.parentProviderPaymentId, invoice.providerPaymentId!), inArray(payments.status, ['waiting', 'confirming', 'confirmed', 'sending'])))
    .orderBy(desc(payments.createdAt))
    .limit(1);
  const { underpaidTolerancePercent, fulfilOnConfirmed } = ctx.config.nowpayments;
  const received = await orderReceived(ctx.db, order.id, { tolerancePercent: underpaidTolerancePercent, fulfilOnConfirmed });
  const missing = received?.missing && new Big(received.missing).gt(0) ? received.missing : null;
  // Sending again with nothing missing is a second full payment: a buyer who paid twice.
  const amount = actuallyPaid ?? open?.actuallyPaid ?? missing ?? invoice.payAmount ?? '0';
  const paid = Number(amount);
  return ipnBody({
    payment: open ?? invoice,
    order,
    providerPaymentId: open?.providerPaymentId ?? sandboxPaymentId(),
    status,
    paid,
    // A child's pay_amount is what arrived on it: NOWPayments did not quote it.
    payAmount: paid,
    parent: invoice.providerPaymentId!,
  });
}

type IpnBodyOptions = {
  payment: Payment;
  order: Order;
  providerPaymentId: string;
  status: string;
  paid: number;
  payAmount: number;
  parent: string | null;
};

function ipnBody({ payment, order, providerPaymentId, status, paid, payAmount, parent }: IpnBodyOptions) {
  const numeric = (id: string) => (Number.isSafeInteger(Number(id)) ? Number(id) : id);
  return {
    payment_id: numeric(providerPaymentId),
    ...(parent !== null ? { parent_payment_id: numeric(parent) } : {}),
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
}

async function deliver(ctx: AppContext, body: ReturnType<typeof ipnBody>): Promise<SimulatePaymentResult> {
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
    paymentId: String(body.payment_id),
  };
}

// POST /api/payment/create: customer, order (catalog price snapshot) and stock reservation
// in one transaction (place-order.ts); then the provider invoice with no transaction open; then record it.
import { sql } from 'drizzle-orm';
import { orders } from '../../db/schema.js';
import { randomSecret } from '../../lib/crypto.js';
import { AppError } from '../../lib/errors.js';
import type { AppContext } from '../../platform/app-context.js';
import { normaliseEmail } from '../accounts/find-or-create-customer.js';
import { recordInvoice } from '../payments/payment-records.js';
import { forgetMinimumPayment, getPaymentProvider, listPayCurrencies, minimumPaymentUsd } from '../payments/provider.js';
import { failCheckoutPayment } from './fail-checkout-payment.js';
import type { CheckoutPayment } from './pending-payment.js';
import { type Plan, placeOrder } from './place-order.js';

export type CreateCheckoutOptions = {
  ctx: AppContext;
  email: string;
  productId?: string | undefined;
  slug?: string | undefined;
  currency: string;
  ref?: string | undefined;
};

export type { CheckoutPayment } from './pending-payment.js';

export async function createCheckout(opts: CreateCheckoutOptions): Promise<CheckoutPayment> {
  const { ctx } = opts;
  const email = normaliseEmail(opts.email);
  const currency = opts.currency.trim().toLowerCase();
  const accepted = await listPayCurrencies(ctx);
  if (!accepted.includes(currency)) {
    throw new AppError('validation_error', `currency: "${opts.currency}" is not accepted; choose one of ${accepted.join(', ')}`);
  }
  // Asked before the transaction (a provider call, cached; it needs the coin, not the plan),
  // decided inside it: an invoice already open is resumed even when the coin's minimum has
  // since risen above the price.
  const minimumUsd = await minimumPaymentUsd(ctx, currency);

  const provider = await getPaymentProvider(ctx);
  const checkoutSecret = randomSecret(32);
  const step = await ctx.db.transaction((tx) =>
    placeOrder(tx, { email, currency, which: opts, ref: opts.ref, provider: provider.name, checkoutSecret, now: Date.now(), minimumUsd }),
  );
  if (step.resumed) return step.resumed;
  const order = step.order!;
  const plan = step.plan!;
  const invoice = await requestInvoice(ctx, provider, plan, order, currency);
  const { providerPaymentId, payAddress, payAmount, payCurrency, expiresAt } = invoice;
  const extra = { estimateExpiresAt: invoice.estimateExpiresAt ?? null, network: invoice.network ?? null, payinExtraId: invoice.payinExtraId ?? null };
  // The stock stays held for our own 60 minutes though NOWPayments watches the address for
  // days; only an invoice that lapses sooner shortens the hold. Written in the invoice's own
  // statement (one round trip, no transaction to open and commit around it).
  await recordInvoice(ctx.db, order.id, { providerPaymentId, payAddress, payAmount, payCurrency, expiresAt, ...extra }, shortenedHold);

  return {
    created: true,
    orderId: order.id,
    orderNumber: order.orderNumber,
    paymentId: invoice.providerPaymentId,
    payAddress: invoice.payAddress,
    payAmount: invoice.payAmount,
    payCurrency: invoice.payCurrency,
    priceUsd: plan.priceCents / 100,
    // What the buyer is shown is the hold (our 60 minutes): the reconciler lapses the invoice
    // then, though NOWPayments would still take money for days (and we still honour it).
    expiresAt: earliest(invoice.expiresAt, order.reservationExpiresAt),
    status: 'waiting',
    checkoutSecret,
  };
}

type Provider = Awaited<ReturnType<typeof getPaymentProvider>>;

/** The provider's invoice, with no transaction open; on failure the checkout is undone (stock back). */
async function requestInvoice(ctx: AppContext, provider: Provider, plan: Plan, order: { id: string; orderNumber: number }, currency: string) {
  try {
    return await provider.createPayment({
      priceAmountUsd: plan.priceCents / 100,
      payCurrency: currency,
      orderId: order.id,
      orderDescription: `HQAdz ${plan.name}, ${plan.validityDays} days (order #${order.orderNumber})`,
      ipnCallbackUrl: `${ctx.config.publicUrl}/api/payment/webhook`,
    });
  } catch (err) {
    ctx.log.warn({ err, orderId: order.id }, 'invoice creation failed; releasing the reservation');
    await failCheckoutPayment({ ctx, orderId: order.id, reason: err instanceof Error ? err.message : String(err) });
    if (err instanceof AppError && err.code === 'unprocessable') forgetMinimumPayment(ctx, currency);
    if (err instanceof AppError && (err.code === 'provider_unavailable' || err.code === 'provider_error' || err.code === 'unprocessable')) throw err;
    throw new AppError('provider_error', 'The payment provider could not create this payment. Please try again.');
  }
}

/** The order's hold, never longer than the invoice's life: written in recordInvoice's statement (its `orderId` and `expiresAt`). */
const shortenedHold = {
  name: 'checkout_record_invoice',
  sql: () =>
    sql`update ${orders} set reservation_expires_at = least(${orders.reservationExpiresAt}, ${sql.placeholder('expiresAt')}::timestamptz)
      where ${orders.id} = ${sql.placeholder('orderId')}`,
  values: {},
};

function earliest(a: Date, b: Date | null): Date {
  return b && b.getTime() < a.getTime() ? b : a;
}

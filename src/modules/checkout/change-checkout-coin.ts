// "Pay with another coin" on the pay step: the waiting invoice is cancelled and a new checkout
// starts for the same plan and email in the new coin. It is a new order (an invoice's coin is
// fixed at the provider), and the answer names the one it replaces.
import { eq } from 'drizzle-orm';
import { orders, payments } from '../../db/schema.js';
import { AppError } from '../../lib/errors.js';
import type { AppContext } from '../../platform/app-context.js';
import { listPayCurrencies } from '../payments/provider.js';
import { cancelCheckout, holdsCheckoutSecret } from './cancel-checkout.js';
import { type CheckoutPayment, createCheckout } from './create-checkout.js';

export type ChangeCheckoutCoinOptions = {
  ctx: AppContext;
  paymentId: string;
  checkoutSecret: string | undefined;
  currency: string;
  ref?: string | undefined;
};

export type ChangedCheckout = CheckoutPayment & { replacesOrderNumber: number };

/**
 * Cancel first, then create: the cancelled order's senders go back to stock before the new order
 * reserves, so a plan with just enough stock can still change coin. If the new invoice cannot be
 * made, the buyer is back at the checkout form with the error (the old order stays cancelled;
 * nothing was paid on it, or cancelling would have been refused).
 */
export async function changeCheckoutCoin({ ctx, paymentId, checkoutSecret, currency, ref }: ChangeCheckoutCoinOptions): Promise<ChangedCheckout> {
  const coin = currency.trim().toLowerCase();
  // Checked before anything is cancelled: a coin we do not take must not cost the buyer their invoice.
  const accepted = await listPayCurrencies(ctx);
  if (!accepted.includes(coin)) {
    throw new AppError('validation_error', `currency: "${currency}" is not accepted; choose one of ${accepted.join(', ')}`);
  }
  const [row] = await ctx.db
    .select({ payCurrency: orders.payCurrency, checkoutSecretHash: orders.checkoutSecretHash })
    .from(payments)
    .innerJoin(orders, eq(orders.id, payments.orderId))
    .where(eq(payments.providerPaymentId, paymentId));
  if (row && holdsCheckoutSecret(row, checkoutSecret) && row.payCurrency === coin) {
    throw new AppError('validation_error', `currency: this payment is already in ${coin.toUpperCase()}`);
  }
  const cancelled = await cancelCheckout({ ctx, paymentId, checkoutSecret, reason: 'coin_changed' });
  if (!cancelled.email) throw new AppError('conflict', 'This order has no email to start a new checkout for');
  const created = await createCheckout({ ctx, email: cancelled.email, productId: cancelled.planId, currency: coin, ref });
  return { ...created, replacesOrderNumber: cancelled.orderNumber };
}

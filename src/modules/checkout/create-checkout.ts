// POST /api/payment/create: customer, order (catalog price snapshot) and stock reservation
// in one transaction; then the provider invoice with no transaction open; then record it.
import { and, eq, type SQL, sql } from 'drizzle-orm';
import type { DbOrTx, Tx } from '../../db/client.js';
import { preparedFor, preparedSql } from '../../db/prepared.js';
import { orders, plans, resellers, users } from '../../db/schema.js';
import { PAYMENT_TTL_MS } from '../../integrations/payment-provider.js';
import { randomSecret, sha256 } from '../../lib/crypto.js';
import { AppError } from '../../lib/errors.js';
import type { AppContext } from '../../platform/app-context.js';
import { activityRowsFor } from '../../platform/log-activity.js';
import { refusesFewerSenders } from '../../shared/plan-change.js';
import { purchaseKind, sendersToReserve } from '../../shared/purchase-kind.js';
import { findOrCreateCustomer, normaliseEmail } from '../accounts/find-or-create-customer.js';
import { getCurrentPlan } from '../adbots/get-current-plan.js';
import { openPaymentsFor, recordInvoice } from '../payments/payment-records.js';
import { forgetMinimumPayment, getPaymentProvider, listPayCurrencies, minimumPaymentUsd, usdToCentsCeil } from '../payments/provider.js';
import { outOfStock, reservationCtes } from '../stock/reserve-senders.js';
import { failCheckoutPayment } from './fail-checkout-payment.js';
import { type CheckoutPayment, CREATING_BUSY_MS, findOpenCheckout } from './pending-payment.js';

export const CHECKOUT_SECRET_TTL_MS = 24 * 3600 * 1000;

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
  const hold = ctx.db
    .update(orders)
    .set({ reservationExpiresAt: sql`least(${orders.reservationExpiresAt}, ${expiresAt.toISOString()}::timestamptz)` })
    .where(eq(orders.id, order.id));
  await recordInvoice(ctx.db, order.id, { providerPaymentId, payAddress, payAmount, payCurrency, expiresAt, ...extra }, hold);

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

type Plan = typeof plans.$inferSelect;

/**
 * The plan on sale, read in the statement that takes the email's checkout lock (one round trip
 * for both; prepared once per database, src/db/prepared.ts). The lock is taken only when the
 * plan exists, and what is read after it runs in later statements, on snapshots taken once it
 * is held. The order snapshots this row's price: the server is the only source of prices.
 */
async function lockedPlanOnSale(tx: Tx, email: string, which: PlanChoice): Promise<Plan> {
  const lock = sql`pg_advisory_xact_lock(hashtext(${sql.placeholder('lockKey')}))`;
  const lockKey = `checkout:${email}`;
  const [row] = which.productId
    ? await preparedFor(tx, 'checkout_lock_plan_by_id', (db) =>
        db
          .select({ plan: plans, locked: lock })
          .from(plans)
          .where(eq(plans.id, sql.placeholder('id')))
          .prepare('checkout_lock_plan_by_id'),
      ).execute({ id: which.productId, lockKey })
    : await preparedFor(tx, 'checkout_lock_plan_by_slug', (db) =>
        db
          .select({ plan: plans, locked: lock })
          .from(plans)
          .where(eq(plans.slug, sql.placeholder('slug')))
          .prepare('checkout_lock_plan_by_slug'),
      ).execute({ slug: (which.slug ?? '').trim().toLowerCase(), lockKey });
  const plan = row?.plan;
  if (!plan) throw new AppError('validation_error', 'Unknown plan: pick one from the pricing page');
  if (!plan.active) throw new AppError('plan_inactive', `${plan.name} is no longer on sale`);

  return plan;
}

/** Why no order may be placed: an invoice under the provider's minimum cannot be paid. */
function belowMinimumRefusal(minimumUsd: number | null, plan: Plan, currency: string): AppError | null {
  if (minimumUsd !== null && plan.priceCents < usdToCentsCeil(minimumUsd)) {
    return new AppError(
      'unprocessable',
      `${currency.toUpperCase()} payments start at $${(usdToCentsCeil(minimumUsd) / 100).toFixed(2)} with our payment provider, more than this plan costs. Please choose another coin.`,
    );
  }
  return null;
}

type PlanChoice = { productId?: string | undefined; slug?: string | undefined };

type PlaceOrderOptions = {
  email: string;
  currency: string;
  which: PlanChoice;
  ref: string | undefined;
  provider: 'nowpayments' | 'sandbox';
  checkoutSecret: string;
  now: number;
  /** The coin's minimum in USD (null: none): a price under it is refused unless there is an open invoice to resume. */
  minimumUsd: number | null;
};
type PlacedOrder = { resumed?: CheckoutPayment; plan?: Plan; order?: { id: string; orderNumber: number; reservationExpiresAt: Date | null } };

/** Customer, order (catalog price snapshot), stock reservation and the `creating` payment, in one transaction. */
async function placeOrder(tx: Tx, { email, currency, which, ref, provider, checkoutSecret, now, minimumUsd }: PlaceOrderOptions): Promise<PlacedOrder> {
  // One checkout per email at a time: a double click waits here, then sees the first one's
  // order (resumed, or still being created) instead of minting a second invoice.
  const plan = await lockedPlanOnSale(tx, email, which);
  // The other request moves its payment from 'creating' to 'waiting' outside our lock; one
  // statement sees it in one state or the other, never in neither (which minted a second invoice).
  const open = await findOpenCheckout({ tx, email, planId: plan.id, currency, since: new Date(now - CREATING_BUSY_MS) });
  if (open.creating) throw new AppError('payment_in_progress', 'Your payment is being created — one moment');
  if (open.pending) return { resumed: open.pending };
  const belowMinimum = belowMinimumRefusal(minimumUsd, plan, currency);
  if (belowMinimum) throw belowMinimum;
  const { customer, referredBy } = await payingCustomer(tx, email, ref);
  const { kind, toReserve } = await purchaseOf(tx, customer, plan, now);
  // The order, its `creating` payment, its activity row and its stock: one statement (each owner's fragment).
  const [row] = await preparedSql<OrderRow>(tx, 'order_insert_with_payment', placeOrderSql).execute({
    userId: customer.id,
    planId: plan.id,
    kind,
    planSlug: plan.slug,
    planName: plan.name,
    priceCents: plan.priceCents,
    senders: plan.senders,
    postingIntervalSeconds: plan.postingIntervalSeconds,
    validityDays: plan.validityDays,
    sendersToReserve: toReserve,
    payCurrency: currency,
    referredBy,
    provider,
    checkoutSecretHash: sha256(checkoutSecret),
    checkoutSecretExpiresAt: new Date(now + CHECKOUT_SECRET_TTL_MS),
    reservationExpiresAt: new Date(now + PAYMENT_TTL_MS),
  });
  // Raw rows: bigint as text, and (node-postgres) a timestamptz as text.
  const created = {
    id: row!.id,
    orderNumber: Number(row!.orderNumber),
    reservationExpiresAt: row!.reservationExpiresAt === null ? null : new Date(row!.reservationExpiresAt),
  };
  // Fewer senders than asked: thrown, so the transaction rolls back the order and the partial hold.
  if (Number(row!.reserved) < toReserve) throw outOfStock();
  return { order: created, plan };
}

type OrderRow = { id: string; orderNumber: string | number; reservationExpiresAt: string | Date | null; reserved: string | number };

/**
 * The order's insert (every value a placeholder of the same name), with payments' `creating`
 * payment, the activity row and stock's reservation of `sendersToReserve` senders as
 * data-modifying CTEs over it; prepared once (src/db/prepared.ts).
 */
function placeOrderSql(db: DbOrTx): SQL {
  const p = sql.placeholder;
  const order = db
    .insert(orders)
    .values({
      userId: p('userId'),
      planId: p('planId'),
      kind: p('kind'),
      planSlug: p('planSlug'),
      planName: p('planName'),
      priceCents: p('priceCents'),
      senders: p('senders'),
      postingIntervalSeconds: p('postingIntervalSeconds'),
      validityDays: p('validityDays'),
      sendersToReserve: p('sendersToReserve'),
      payCurrency: p('payCurrency'),
      // Lifetime attribution: the reseller who first brought the customer keeps them while active.
      resellerId: sql`coalesce(${referrerOf(p('userId'))}, ${p('referredBy')}::uuid)`,
      checkoutSecretHash: p('checkoutSecretHash'),
      checkoutSecretExpiresAt: p('checkoutSecretExpiresAt'),
      reservationExpiresAt: p('reservationExpiresAt'),
    })
    .returning({ id: orders.id, orderNumber: orders.orderNumber, reservationExpiresAt: orders.reservationExpiresAt });
  const payment = openPaymentsFor(sql`o`, { provider: p('provider'), payCurrency: p('payCurrency'), priceCents: p('priceCents') });
  const activity = activityRowsFor(sql`o`, {
    actorUserId: p('userId'),
    actorRole: 'customer',
    action: 'checkout.created',
    subjectType: 'order',
    subjectId: sql`o.id::text`,
    details: sql`jsonb_build_object('orderNumber', o.order_number, 'plan', ${p('planSlug')}::text, 'kind', ${p('kind')}::text,
      'currency', ${p('payCurrency')}::text, 'sendersToReserve', ${p('sendersToReserve')}::int)`,
  });
  const stock = reservationCtes(sql`(select id from o)`, sql`${p('sendersToReserve')}`);
  return sql`with o as (${order.getSQL()}), p as (${payment}), a as (${activity}), ${stock}
    select id, order_number as "orderNumber", reservation_expires_at as "reservationExpiresAt", (select count(*) from reserved) as reserved from o`;
}

/** Who pays: found or created by email, attributed to the referral code if there is one. */
async function payingCustomer(tx: Tx, email: string, ref: string | undefined) {
  const [reseller] = ref
    ? await tx
        .select({ id: resellers.id })
        .from(resellers)
        // Codes are unique regardless of case, so a link typed in another case still counts.
        .where(and(sql`lower(${resellers.referralCode}) = lower(${ref.trim()})`, eq(resellers.active, true)))
    : [];
  const customer = await findOrCreateCustomer({ tx, email, referredBy: reseller?.id ?? null });
  if (customer.role !== 'customer') {
    // A purchase logs the payer in as this user: never as a staff account.
    throw new AppError('conflict', 'This email belongs to a staff account; use another email to buy a plan');
  }
  if (customer.banned) throw new AppError('forbidden', 'This account is suspended; contact support');

  return { customer, referredBy: reseller?.id ?? null };
}

/** What the purchase is, by the one rule (src/shared/purchase-kind.ts), and the senders it reserves. */
async function purchaseOf(tx: Tx, customer: { id: string; isNew: boolean }, plan: Plan, now: number) {
  // A customer this transaction just created has no adbot yet (nothing can reference an
  // uncommitted user): a first purchase skips the round trip.
  const current = customer.isNew ? null : await getCurrentPlan({ db: tx, userId: customer.id });
  // Anyone who knows an email can pay for it: a smaller plan would cut a paying customer's senders.
  if (current && refusesFewerSenders(plan, current, new Date(now))) {
    throw new AppError(
      'conflict',
      `This account's current plan has ${current.senderCount} senders and is still active: ${plan.name} has fewer. Renew the current plan or pick a bigger one; smaller plans can be bought after it expires.`,
    );
  }
  const kind = purchaseKind(current, plan.id);
  const toReserve = sendersToReserve(kind, plan.senders, current);

  return { kind, toReserve };
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

/**
 * A returning customer's purchases stay attributed to the reseller who brought them, while
 * active: a subquery of the order's insert, so it costs no round trip of its own.
 */
function referrerOf(userId: ReturnType<typeof sql.placeholder>): SQL {
  return sql`(select ${resellers.id} from ${users} join ${resellers} on ${resellers.id} = ${users.referredBy} where ${users.id} = ${userId} and ${resellers.active})`;
}

function earliest(a: Date, b: Date | null): Date {
  return b && b.getTime() < a.getTime() ? b : a;
}

// The transaction of a checkout: under the email's lock, the open checkout to resume, the
// customer, the order (catalog price snapshot), its `creating` payment and its stock. Every
// PostgreSQL round trip costs the API a socket write and a read (a third of its CPU on the
// checkout path, issue 9), so a new customer's order is one statement after the lock.
import { eq, type SQL, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { preparedFor, preparedSql } from '../../db/prepared.js';
import { orders, plans, resellers, users } from '../../db/schema.js';
import { PAYMENT_TTL_MS } from '../../integrations/payment-provider.js';
import { sha256 } from '../../lib/crypto.js';
import { AppError } from '../../lib/errors.js';
import { activityRowsFor } from '../../platform/log-activity.js';
import { refusesFewerSenders } from '../../shared/plan-change.js';
import { type PurchaseKind, purchaseKind, sendersToReserve } from '../../shared/purchase-kind.js';
import { type Customer, customerCtes, findOrCreateCustomer } from '../accounts/find-or-create-customer.js';
import { getCurrentPlan } from '../adbots/get-current-plan.js';
import { openPaymentsFor } from '../payments/payment-records.js';
import { usdToCentsCeil } from '../payments/provider.js';
import { outOfStock, reservationCtes } from '../stock/reserve-senders.js';
import { type CheckoutPayment, CREATING_BUSY_MS, type OpenCheckoutRow, openCheckoutFrom, openCheckoutSql } from './pending-payment.js';

export const CHECKOUT_SECRET_TTL_MS = 24 * 3600 * 1000;

export type Plan = typeof plans.$inferSelect;
type PlanChoice = { productId?: string | undefined; slug?: string | undefined };

export type PlaceOrderOptions = {
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
export type PlacedOrder = { resumed?: CheckoutPayment; plan?: Plan; order?: { id: string; orderNumber: number; reservationExpiresAt: Date | null } };

/** Customer, order (catalog price snapshot), stock reservation and the `creating` payment, in one transaction. */
export async function placeOrder(tx: Tx, opts: PlaceOrderOptions): Promise<PlacedOrder> {
  const { email, currency, which, ref, now, minimumUsd } = opts;
  // One checkout per email at a time: a double click waits here, then sees the first one's
  // order (resumed, or still being created) instead of minting a second invoice.
  const plan = await lockedPlanOnSale(tx, email, which);
  const belowMinimum = belowMinimumRefusal(minimumUsd, plan, currency);
  // What a first purchase is needs only the plan, so a new customer's order can be written in
  // the statement that looks for the open checkout and finds or creates the customer. That
  // statement's snapshot is taken after the lock is held: it sees a twin request's order.
  const firstKind = purchaseKind(null, plan.id);
  const firstReserve = sendersToReserve(firstKind, plan.senders, null);
  const values = orderValues(opts, plan, firstKind, firstReserve);
  const [row] = await preparedSql<FirstOrderRow>(tx, 'checkout_first_order', firstOrderSql).execute({
    ...values,
    email,
    ref: ref ? ref.trim() : null,
    place: belowMinimum === null,
    since: new Date(now - CREATING_BUSY_MS).toISOString(),
    // An invoice is resumable until it lapses: judged when the lock is held, not when asked.
    now: new Date().toISOString(),
  });
  // The other request moves its payment from 'creating' to 'waiting' outside our lock; one
  // statement sees it in one state or the other, never in neither (which minted a second invoice).
  const open = openCheckoutFrom(row!);
  if (open.creating) throw new AppError('payment_in_progress', 'Your payment is being created — one moment');
  if (open.pending) return { resumed: open.pending };
  if (belowMinimum) throw belowMinimum;
  const referredBy = row!.referredBy;
  const customer = customerFrom(row!, email) ?? (await findOrCreateCustomer({ tx, email, referredBy }));
  refuseUnlessCustomer(customer);
  if (row!.orderId !== null) return { order: placed(row as PlacedRow, firstReserve), plan };

  // A returning customer: what the purchase is depends on the plan they hold.
  const { kind, toReserve } = await purchaseOf(tx, customer, plan, now);
  const [later] = await preparedSql<PlacedRow>(tx, 'order_insert_with_payment', laterOrderSql).execute({
    ...orderValues(opts, plan, kind, toReserve),
    userId: customer.id,
    referredBy,
  });
  return { order: placed(later!, toReserve), plan };
}

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

/** A purchase logs the payer in as this user: never as a staff account, nor a suspended one. */
function refuseUnlessCustomer(customer: Customer): void {
  if (customer.role !== 'customer') {
    throw new AppError('conflict', 'This email belongs to a staff account; use another email to buy a plan');
  }
  if (customer.banned) throw new AppError('forbidden', 'This account is suspended; contact support');
}

/** What the purchase is, by the one rule (src/shared/purchase-kind.ts), and the senders it reserves. */
async function purchaseOf(tx: Tx, customer: Customer, plan: Plan, now: number) {
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

/** The order's own values, as the placeholders of either order statement. */
function orderValues({ currency, provider, checkoutSecret, now }: PlaceOrderOptions, plan: Plan, kind: PurchaseKind, toReserve: number) {
  return {
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
    provider,
    checkoutSecretHash: sha256(checkoutSecret),
    checkoutSecretExpiresAt: new Date(now + CHECKOUT_SECRET_TTL_MS).toISOString(),
    reservationExpiresAt: new Date(now + PAYMENT_TTL_MS).toISOString(),
  };
}

// Raw rows: bigint as text, and (node-postgres) a timestamptz as text.
type PlacedRow = { orderId: string; orderNumber: string | number; reservationExpiresAt: string | Date | null; reserved: string | number };
type FirstOrderRow = OpenCheckoutRow & {
  customerId: string | null;
  customerRole: Customer['role'] | null;
  customerBanned: boolean | null;
  customerIsNew: boolean | null;
  referredBy: string | null;
} & { [K in keyof PlacedRow]: PlacedRow[K] | null };

/** The order as written; fewer senders than asked throws, so the transaction rolls back the order and the partial hold. */
function placed(row: PlacedRow, toReserve: number) {
  if (Number(row.reserved) < toReserve) throw outOfStock();
  return {
    id: row.orderId,
    orderNumber: Number(row.orderNumber),
    reservationExpiresAt: row.reservationExpiresAt === null ? null : new Date(row.reservationExpiresAt),
  };
}

/** The customer the statement found or created; null when it saw neither (see customerCtes). */
function customerFrom(row: FirstOrderRow, email: string): Customer | null {
  if (row.customerId === null) return null;
  return { id: row.customerId, email, role: row.customerRole!, banned: row.customerBanned!, isNew: row.customerIsNew! };
}

const p = sql.placeholder;

/**
 * Under the lock, one statement: the open checkout (pending-payment.ts), the referral code's
 * reseller, the customer found or created (accounts' CTEs), and, when there is no open checkout,
 * the coin's minimum is met and the customer is new, their first order with its payment,
 * activity row and stock. A returning customer's order waits for purchaseOf: it is not written.
 */
function firstOrderSql(): SQL {
  const place = sql`${p('place')}::boolean and not exists (select 1 from open_checkout)`;
  const referrer = sql`(select id from referrer)`;
  const customers = customerCtes({ email: sql`${p('email')}::text`, referredBy: referrer, when: place });
  const order = orderCtes({ userId: sql`customer.id`, from: sql`from customer where customer.is_new and ${place}`, referredBy: referrer });
  return sql`with open_checkout as (${openCheckoutSql()}),
    referrer as (
      -- Codes are unique regardless of case, so a link typed in another case still counts.
      select ${resellers.id} as id from ${resellers} where lower(${resellers.referralCode}) = lower(${p('ref')}::text) and ${resellers.active} limit 1
    ),
    ${customers}, ${order}
    select open_checkout.*, customer.id as "customerId", customer.role as "customerRole", customer.banned as "customerBanned",
      customer.is_new as "customerIsNew", ${referrer} as "referredBy", o.id as "orderId", o.order_number as "orderNumber",
      o.reservation_expires_at as "reservationExpiresAt", (select count(*) from reserved) as reserved
    from (select 1) as one left join open_checkout on true left join customer on true left join o on true`;
}

/** A returning customer's order, once purchaseOf has decided what it is (every value a placeholder). */
function laterOrderSql(): SQL {
  const order = orderCtes({ userId: sql`${p('userId')}::uuid`, from: sql``, referredBy: sql`${p('referredBy')}::uuid` });
  return sql`with ${order}
    select id as "orderId", order_number as "orderNumber", reservation_expires_at as "reservationExpiresAt", (select count(*) from reserved) as reserved from o`;
}

type OrderSource = { userId: SQL; from: SQL; referredBy: SQL };

/**
 * `o`, the order (one row for each row `from` yields, with `userId` its customer), with
 * payments' `creating` payment, the activity row and stock's reservation of `sendersToReserve`
 * senders as data-modifying CTEs over it; no order, nothing reserved.
 */
function orderCtes({ userId, from, referredBy }: OrderSource): SQL {
  const payment = openPaymentsFor(sql`o`, { provider: p('provider'), payCurrency: p('payCurrency'), priceCents: p('priceCents') });
  const activity = activityRowsFor(sql`o`, {
    actorUserId: sql`o.user_id`,
    actorRole: 'customer',
    action: 'checkout.created',
    subjectType: 'order',
    subjectId: sql`o.id::text`,
    details: sql`jsonb_build_object('orderNumber', o.order_number, 'plan', ${p('planSlug')}::text, 'kind', ${p('kind')}::text,
      'currency', ${p('payCurrency')}::text, 'sendersToReserve', ${p('sendersToReserve')}::int)`,
  });
  const stock = reservationCtes(sql`(select id from o)`, sql`coalesce((select ${p('sendersToReserve')}::int from o), 0)`);
  return sql`o as (
      insert into ${orders} (user_id, plan_id, kind, plan_slug, plan_name, price_cents, senders, posting_interval_seconds, validity_days,
        senders_to_reserve, pay_currency, reseller_id, checkout_secret_hash, checkout_secret_expires_at, reservation_expires_at)
      select ${userId}, ${p('planId')}::uuid, ${p('kind')}::text, ${p('planSlug')}::text, ${p('planName')}::text, ${p('priceCents')}::int,
        ${p('senders')}::int, ${p('postingIntervalSeconds')}::int, ${p('validityDays')}::int, ${p('sendersToReserve')}::int,
        ${p('payCurrency')}::text,
        -- Lifetime attribution: the reseller who first brought the customer keeps them while active.
        coalesce(${referrerOf(userId)}, ${referredBy}), ${p('checkoutSecretHash')}::text,
        ${p('checkoutSecretExpiresAt')}::timestamptz, ${p('reservationExpiresAt')}::timestamptz
      ${from}
      returning id, order_number, user_id, reservation_expires_at
    ), p as (${payment}), a as (${activity}), ${stock}`;
}

/**
 * A returning customer's purchases stay attributed to the reseller who brought them, while
 * active: a subquery of the order's insert, so it costs no round trip of its own.
 */
function referrerOf(userId: SQL): SQL {
  return sql`(select ${resellers.id} from ${users} join ${resellers} on ${resellers.id} = ${users.referredBy} where ${users.id} = ${userId} and ${resellers.active})`;
}

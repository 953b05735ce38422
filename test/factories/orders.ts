// Orders for tests, made the way customers make them: checkout, a (simulated) payment, fulfilment.
import { and, eq, inArray, isNull } from 'drizzle-orm';
import { expect, vi } from 'vitest';
import { adbots, emails, orders, payments, plans, senders, users } from '../../src/db/schema.js';
import { fulfilOrder } from '../../src/modules/fulfilment/fulfil-order.js';
import type { AppContext } from '../../src/platform/app-context.js';
import { purchaseKind, sendersToReserve } from '../../src/shared/purchase-kind.js';
import type { ApiResponse, TestApp } from '../helpers/test-app.js';
import { freshEmail, freshIp } from './ids.js';
import { type Auth, bearer, tokenFor } from './sessions.js';

/** POST /api/payment/create from a fresh client address (its own rate-limit bucket). */
export async function checkout(t: TestApp, body: Record<string, unknown>, ip = freshIp()): Promise<ApiResponse> {
  return t.api('POST', '/api/payment/create', body, { 'x-forwarded-for': ip });
}

export type PaidOrderOptions = { plan?: string; email?: string; currency?: string; ref?: string };
export type PaidOrder = { orderId: string; paymentId: string; checkoutSecret: string; email: string; userId: string };

/**
 * Checkout through the route, then the sandbox's "finished" IPN through the webhook: the order
 * is paid and its fulfil-order job queued (run by the worker, if the app has one).
 */
export async function paidOrder(t: TestApp, opts: PaidOrderOptions = {}): Promise<PaidOrder> {
  const plan = opts.plan ?? 'bronze';
  const email = (opts.email ?? freshEmail(plan)).toLowerCase();
  const created = await checkout(t, { email, slug: plan, currency: opts.currency ?? 'btc', ...(opts.ref !== undefined ? { ref: opts.ref } : {}) });
  if (created.status !== 201) throw new Error(`factory: checkout answered ${created.status} ${JSON.stringify(created.body)}`);
  const paymentId = String(created.body.paymentId);
  const sim = await t.api('POST', '/api/payment/simulate', { paymentId, status: 'finished' });
  if (sim.status !== 200) throw new Error(`factory: simulated payment answered ${sim.status} ${JSON.stringify(sim.body)}`);
  const [user] = await t.ctx.db.select({ id: users.id }).from(users).where(eq(users.email, email));
  return { orderId: created.body.orderId, paymentId, checkoutSecret: created.body.checkoutSecret, email, userId: user!.id };
}

export type BuyPlanOptions = PaidOrderOptions & {
  /** Sign in by redeeming the checkout secret, as the paying browser does (default true). */
  redeem?: boolean;
};
export type BoughtPlan = PaidOrder & { adbotId: string; auth: Auth; token: string; accessCode: string | null };

/**
 * A customer who bought `plan`: paid as in paidOrder, fulfilled (by the fulfilment use case,
 * whether or not the worker got there first), and signed in. A first purchase signs in the way
 * the paying browser does, redeeming the checkout secret, which hands over the access code; a
 * repeat purchase (or `redeem: false`) gets the session log-in would sign, and no code.
 */
export async function buyPlan(t: TestApp, opts: BuyPlanOptions = {}): Promise<BoughtPlan> {
  const paid = await paidOrder(t, opts);
  const result = await fulfilOrder({ ctx: t.ctx, orderId: paid.orderId });
  if (result !== 'fulfilled' && result !== 'already_fulfilled') throw new Error(`factory: fulfilment said ${result}`);
  const [order] = await t.ctx.db.select({ pendingAccessCode: orders.pendingAccessCode }).from(orders).where(eq(orders.id, paid.orderId));
  const [bot] = await t.ctx.db.select({ id: adbots.id }).from(adbots).where(eq(adbots.userId, paid.userId));
  if (opts.redeem === false || !order?.pendingAccessCode) {
    const token = await tokenFor(t.ctx, paid.userId);
    return { ...paid, adbotId: bot!.id, token, auth: bearer(token), accessCode: null };
  }
  const redeemed = await t.api('POST', '/api/auth/checkout', { checkoutSecret: paid.checkoutSecret });
  if (redeemed.status !== 200) throw new Error(`factory: redeeming the checkout secret answered ${redeemed.status} ${JSON.stringify(redeemed.body)}`);
  return { ...paid, adbotId: bot!.id, token: redeemed.body.token, auth: bearer(redeemed.body.token), accessCode: redeemed.body.accessCode ?? null };
}

export type DirectPaidOrderOptions = {
  email: string;
  plan: string;
  /** Reserve stock the way checkout does (default true); false = the reservation lapsed. */
  reserve?: boolean;
  resellerId?: string;
  paidAt?: Date;
};

/**
 * A paid order written straight to the tables, as checkout + IPN leave it, with no
 * fulfil-order job queued. Only for states no use case makes: a payment dated in the past,
 * a lapsed reservation that is paid anyway, an admin-made downgrade, or a paid order that the
 * test must fulfil itself while a worker runs. Everything else: paidOrder or buyPlan.
 */
export async function createPaidOrder(ctx: AppContext, opts: DirectPaidOrderOptions): Promise<{ orderId: string; userId: string }> {
  const email = opts.email.toLowerCase();
  await ctx.db.insert(users).values({ email }).onConflictDoNothing({ target: users.email });
  const [user] = await ctx.db.select().from(users).where(eq(users.email, email));
  const [plan] = await ctx.db.select().from(plans).where(eq(plans.slug, opts.plan));
  if (!user || !plan) throw new Error('factory: unknown user or plan');
  const [bot] = await ctx.db.select().from(adbots).where(eq(adbots.userId, user.id));
  // The order says what checkout would have decided: the one rule, not a copy of it.
  const kind = purchaseKind(bot ? { planId: bot.planId, sendersReleased: bot.sendersReleasedAt !== null } : null, plan.id);
  const toReserve = sendersToReserve(kind, plan.senders, bot ?? null);
  const [order] = await ctx.db
    .insert(orders)
    .values({
      userId: user.id,
      planId: plan.id,
      kind,
      planSlug: plan.slug,
      planName: plan.name,
      priceCents: plan.priceCents,
      senders: plan.senders,
      postingIntervalSeconds: plan.postingIntervalSeconds,
      validityDays: plan.validityDays,
      sendersToReserve: toReserve,
      status: 'paid',
      payCurrency: 'btc',
      paidAt: opts.paidAt ?? new Date(),
      resellerId: opts.resellerId ?? null,
    })
    .returning({ id: orders.id });
  if (opts.reserve !== false && toReserve > 0) {
    const free = await ctx.db.select({ id: senders.id }).from(senders).where(eq(senders.state, 'unused')).limit(toReserve);
    if (free.length < toReserve) throw new Error('factory: not enough stock to reserve');
    await ctx.db
      .update(senders)
      .set({ state: 'reserved', orderId: order!.id })
      .where(
        inArray(
          senders.id,
          free.map((f) => f.id),
        ),
      );
  }
  return { orderId: order!.id, userId: user.id };
}

export async function countFulfilJobs(ctx: AppContext, orderId: string): Promise<number> {
  const { rows } = await ctx.database.executor.executeSql(`select count(*)::int as n from pgboss.job where name = 'fulfil-order' and data->>'orderId' = $1`, [
    orderId,
  ]);
  return Number(rows[0]!.n);
}

export async function loadOrder(ctx: AppContext, orderId: string) {
  const [order] = await ctx.db.select().from(orders).where(eq(orders.id, orderId));
  // The invoice: re-deposits are child payments of it.
  const [payment] = await ctx.db
    .select()
    .from(payments)
    .where(and(eq(payments.orderId, orderId), isNull(payments.parentProviderPaymentId)));
  const held = await ctx.db.select().from(senders).where(eq(senders.orderId, orderId));
  return { order: order!, payment: payment!, senders: held };
}

export async function adbotOf(ctx: AppContext, userId: string) {
  const [bot] = await ctx.db.select().from(adbots).where(eq(adbots.userId, userId));
  const held = bot ? await ctx.db.select().from(senders).where(eq(senders.adbotId, bot.id)) : [];
  return { bot, senders: held };
}

export async function emailsTo(ctx: AppContext, to: string) {
  return ctx.db.select().from(emails).where(eq(emails.toAddress, to.toLowerCase())).orderBy(emails.createdAt);
}

/** The access code as the customer reads it in the fulfilment email. */
export function accessCodeFrom(bodyText: string): string | null {
  return /^Access code: (\S+)$/m.exec(bodyText)?.[1] ?? null;
}

/** Waits (polling the database) until the order has this status; returns the order row. */
export async function waitForOrderStatus(ctx: AppContext, orderId: string, status: string, timeout = 20_000) {
  return vi.waitFor(
    async () => {
      const [order] = await ctx.db.select().from(orders).where(eq(orders.id, orderId));
      expect(order?.status, `order ${orderId}`).toBe(status);
      return order!;
    },
    { timeout, interval: 100 },
  );
}

import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshEmail, freshIp } from '../../../test/factories/ids.js';
import { checkout, loadOrder } from '../../../test/factories/orders.js';
import { sandboxSenders } from '../../../test/factories/stock.js';
import { type FakeNowPayments, startFakeNowPayments } from '../../../test/fakes/nowpayments.js';
import { startTestApp, type TestApp } from '../../../test/helpers/test-app.js';
import { orders, payments, plans, senders, users } from '../../db/schema.js';

describe('POST /api/payment/create (NOWPayments)', () => {
  let np: FakeNowPayments;
  let t: TestApp;
  beforeAll(async () => {
    np = await startFakeNowPayments();
    t = await startTestApp({ worker: false, env: { ...np.env(), RATE_LIMIT_CHECKOUT_PER_MINUTE: '5' } });
    await sandboxSenders(t, 30);
  });
  afterAll(async () => {
    await t?.close();
    await np?.close();
  });

  const counts = async () => {
    const [o] = await t.ctx.db.select({ n: sql<number>`count(*)::int` }).from(orders);
    const [p] = await t.ctx.db.select({ n: sql<number>`count(*)::int` }).from(payments);
    const [u] = await t.ctx.db.select({ n: sql<number>`count(*)::int` }).from(users);
    const [r] = await t.ctx.db.select({ n: sql<number>`count(*)::int` }).from(senders).where(eq(senders.state, 'reserved'));
    return { orders: o!.n, payments: p!.n, users: u!.n, reserved: r!.n };
  };

  it('buys Silver at the catalog price even when the client sends amount 1', async () => {
    const email = freshEmail('silver');
    const before = np.requests.filter((r) => r.path === '/payment').length;
    const res = await checkout(t, { email, slug: 'silver', currency: 'btc', amount: 1, price: 1, priceUsd: 1 });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ payCurrency: 'btc', priceUsd: 55, status: 'waiting' });
    expect(typeof res.body.checkoutSecret).toBe('string');
    expect(res.body.checkoutSecret.length).toBeGreaterThan(30);
    expect(res.body.payAddress).toMatch(/^fakebtc/);
    expect(typeof res.body.payAmount).toBe('string');

    const created = np.requests.filter((r) => r.path === '/payment').slice(before);
    expect(created).toHaveLength(1);
    const sent = created[0]!.body as Record<string, unknown>;
    expect(sent).toMatchObject({ price_amount: 55, price_currency: 'usd', pay_currency: 'btc', order_id: res.body.orderId });
    expect(sent.ipn_callback_url).toBe(`${t.ctx.config.publicUrl}/api/payment/webhook`);
    expect(created[0]!.headers['x-api-key']).toBe(np.apiKey);
    // No payout coin configured: the minimum is asked for the pay coin alone (issue 9).
    expect(np.requests.find((r) => r.path.startsWith('/min-amount'))?.path).toBe('/min-amount?currency_from=btc&fiat_equivalent=usd');

    const [user] = await t.ctx.db.select().from(users).where(eq(users.email, email));
    const userOrders = await t.ctx.db.select().from(orders).where(eq(orders.userId, user!.id));
    expect(userOrders).toHaveLength(1);
    const { order, payment, senders: held } = await loadOrder(t.ctx, res.body.orderId);
    expect(order).toMatchObject({ priceCents: 5500, planSlug: 'silver', senders: 2, postingIntervalSeconds: 1800, kind: 'new', status: 'pending' });
    expect(order.checkoutSecretHash).not.toBe(res.body.checkoutSecret);
    expect(payment).toMatchObject({ status: 'waiting', priceCents: 5500, providerPaymentId: res.body.paymentId, provider: 'nowpayments' });
    expect(held.map((s) => s.state)).toEqual(['reserved', 'reserved']);
  });

  it('resumes the pending payment for the same email, plan and coin (200, no new secret)', async () => {
    const email = freshEmail('refresh');
    const first = await checkout(t, { email: email.toUpperCase(), slug: 'bronze', currency: 'ltc' });
    expect(first.status).toBe(201);
    const calls = np.requests.length;
    const again = await checkout(t, { email: ` ${email} `, slug: 'bronze', currency: 'ltc' });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ orderId: first.body.orderId, paymentId: first.body.paymentId, payAddress: first.body.payAddress, checkoutSecret: null });
    expect(np.requests.length).toBe(calls);
    const other = await checkout(t, { email, slug: 'bronze', currency: 'eth' });
    expect(other.status).toBe(201);
    expect(other.body.orderId).not.toBe(first.body.orderId);
  });

  it('resumes a payment whose money is arriving or that is underpaid and open, not only a waiting one', async () => {
    const email = freshEmail('resume-confirming');
    const first = await checkout(t, { email, slug: 'bronze', currency: 'ltc' });
    expect(first.status).toBe(201);
    // Half the amount arrives: seen while confirming, then settled as an underpayment.
    for (const status of ['confirming', 'partially_paid'] as const) {
      await np.setStatus(first.body.paymentId, status, { actuallyPaid: Number(first.body.payAmount) / 2 });
      const again = await checkout(t, { email, slug: 'bronze', currency: 'ltc' });
      expect(again.status, status).toBe(200);
      expect(again.body, status).toMatchObject({ orderId: first.body.orderId, paymentId: first.body.paymentId, payAddress: first.body.payAddress, status });
    }
    // Once the invoice has expired, a new checkout starts afresh.
    await np.setStatus(first.body.paymentId, 'expired');
    const fresh = await checkout(t, { email, slug: 'bronze', currency: 'ltc' });
    expect(fresh.status).toBe(201);
    expect(fresh.body.orderId).not.toBe(first.body.orderId);
  });

  it('answers bad input with 400 and a message, creating nothing', async () => {
    const before = await counts();
    const bad: unknown[] = [
      { email: 'not-an-email', slug: 'silver', currency: 'btc' },
      { email: freshEmail(), slug: 'platinum', currency: 'btc' },
      { email: freshEmail(), productId: '00000000-0000-4000-8000-000000000000', currency: 'btc' },
      { email: freshEmail(), slug: 'silver', currency: 'doge' },
      { email: freshEmail(), slug: 'silver', currency: 'xmr' },
      { email: 42, slug: 'silver', currency: 'btc' },
      { email: freshEmail(), slug: ['silver'], currency: 'btc' },
      { email: freshEmail(), currency: 'btc' },
      {},
      'null',
      '{"email": ',
    ];
    for (const body of bad) {
      const res = await t.api('POST', '/api/payment/create', body, { 'x-forwarded-for': freshIp() });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.message, JSON.stringify(body)).toBeTruthy();
    }
    const empty = await t.api('POST', '/api/payment/create', undefined, { 'x-forwarded-for': freshIp() });
    expect(empty.status).toBe(400);
    expect(await counts()).toEqual(before);
  });

  it('fails cleanly with 502/503 when the provider fails: order failed, no reservation left', async () => {
    for (const code of [500, 503]) {
      const email = freshEmail('provider-down');
      const reservedBefore = (await counts()).reserved;
      np.failNext(code, '/payment');
      const res = await checkout(t, { email, slug: 'gold', currency: 'sol' });
      expect([502, 503]).toContain(res.status);
      expect(res.body.error.message).toMatch(/try again/i);
      const [user] = await t.ctx.db.select().from(users).where(eq(users.email, email));
      const [order] = await t.ctx.db.select().from(orders).where(eq(orders.userId, user!.id));
      expect(order!.status).toBe('failed');
      const { payment, senders: held } = await loadOrder(t.ctx, order!.id);
      expect(payment.status).toBe('failed');
      expect(held).toHaveLength(0);
      expect((await counts()).reserved).toBe(reservedBefore);
    }
  });

  it('answers 409 out_of_stock before any invoice exists', async () => {
    const calls = np.requests.filter((r) => r.path === '/payment').length;
    const [stock] = await t.ctx.db.select({ n: sql<number>`count(*)::int` }).from(senders).where(eq(senders.state, 'unused'));
    await t.ctx.db.insert(plans).values({
      slug: 'mega',
      name: 'Mega',
      planType: 'enterprise',
      priceCents: 99900,
      senders: stock!.n + 1,
      postingIntervalSeconds: 60,
      validityDays: 30,
    });
    const before = await counts();
    const res = await checkout(t, { email: freshEmail('mega'), slug: 'mega', currency: 'btc' });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('out_of_stock');
    expect(np.requests.filter((r) => r.path === '/payment').length).toBe(calls);
    expect(await counts()).toEqual(before);
  });

  it('rate-limits per IP and per email with 429 and the error shape', async () => {
    const ip = freshIp();
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await checkout(t, { email: 'x', slug: 'silver', currency: 'btc' }, ip)).status);
    expect(statuses.slice(0, 5)).toEqual([400, 400, 400, 400, 400]);
    const limited = await checkout(t, { email: 'x', slug: 'silver', currency: 'btc' }, ip);
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('rate_limited');

    const email = freshEmail('hammer');
    const perEmail: number[] = [];
    for (let i = 0; i < 7; i++) perEmail.push((await checkout(t, { email, slug: 'bronze', currency: 'btc' })).status);
    expect(perEmail.slice(0, 5)).toEqual([201, 200, 200, 200, 200]);
    expect(perEmail.slice(5)).toEqual([429, 429]);
  });

  it('prices a renewal with no new stock and an upgrade with only the extra senders', async () => {
    const email = freshEmail('renewer');
    const first = await checkout(t, { email, slug: 'silver', currency: 'eth' });
    expect(first.status).toBe(201);
    const { order } = await loadOrder(t.ctx, first.body.orderId);
    const [silver] = await t.ctx.db.select().from(plans).where(eq(plans.slug, 'silver'));
    // What fulfilment would leave behind: an adbot on Silver with 2 senders.
    await t.ctx.db.execute(sql`insert into adbots (user_id, plan_id, posting_interval_seconds, sender_count, expires_at)
      values (${order.userId}, ${silver!.id}, 1800, 2, now() + interval '10 days')`);
    await t.ctx.db.update(orders).set({ status: 'fulfilled' }).where(eq(orders.id, order.id));

    const renewal = await checkout(t, { email, slug: 'silver', currency: 'btc' });
    expect(renewal.status).toBe(201);
    expect((await loadOrder(t.ctx, renewal.body.orderId)).order).toMatchObject({ kind: 'renewal', sendersToReserve: 0 });
    expect((await loadOrder(t.ctx, renewal.body.orderId)).senders).toHaveLength(0);

    const upgrade = await checkout(t, { email, slug: 'gold', currency: 'btc' });
    expect(upgrade.status).toBe(201);
    const up = await loadOrder(t.ctx, upgrade.body.orderId);
    expect(up.order).toMatchObject({ kind: 'upgrade', sendersToReserve: 1, priceCents: 8000 });
    expect(up.senders).toHaveLength(1);
  });

  it('a double click (5 concurrent creates, same email, plan and coin) makes exactly one order and one invoice', async () => {
    const email = freshEmail('dblclick');
    const invoicesBefore = np.requests.filter((r) => r.path === '/payment').length;
    const results = await Promise.all(Array.from({ length: 5 }, () => checkout(t, { email, slug: 'bronze', currency: 'usdttrc20' })));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.every((s) => s === 201 || s === 200 || s === 409)).toBe(true);
    for (const r of results.filter((x) => x.status === 409)) {
      expect(r.body.error).toMatchObject({ code: 'payment_in_progress', message: expect.stringMatching(/being created/) });
    }
    const [user] = await t.ctx.db.select().from(users).where(eq(users.email, email));
    expect(await t.ctx.db.select().from(orders).where(eq(orders.userId, user!.id))).toHaveLength(1);
    expect(np.requests.filter((r) => r.path === '/payment').length - invoicesBefore).toBe(1);
  });

  it('refuses a plan with fewer senders while the current plan is active, and allows it after expiry', async () => {
    const email = freshEmail('downgrade');
    const first = await checkout(t, { email, slug: 'silver', currency: 'eth' });
    const { order } = await loadOrder(t.ctx, first.body.orderId);
    const [silver] = await t.ctx.db.select().from(plans).where(eq(plans.slug, 'silver'));
    await t.ctx.db.execute(sql`insert into adbots (user_id, plan_id, posting_interval_seconds, sender_count, expires_at)
      values (${order.userId}, ${silver!.id}, 1800, 2, now() + interval '10 days')`);
    await t.ctx.db.update(orders).set({ status: 'fulfilled' }).where(eq(orders.id, order.id));

    const before = await counts();
    const down = await checkout(t, { email, slug: 'bronze', currency: 'btc' });
    expect(down.status).toBe(409);
    expect(down.body.error.code).toBe('conflict');
    expect(down.body.error.message).toMatch(/Bronze has fewer/);
    expect(await counts()).toEqual(before);

    await t.ctx.db.execute(sql`update adbots set expires_at = now() - interval '1 hour', status = 'expired' where user_id = ${order.userId}`);
    const after = await checkout(t, { email, slug: 'bronze', currency: 'btc' });
    expect(after.status).toBe(201);
  });
});

describe('POST /api/payment/create: the provider minimum per coin', () => {
  let np: FakeNowPayments;
  let t: TestApp;
  beforeAll(async () => {
    np = await startFakeNowPayments();
    t = await startTestApp({ worker: false, env: { ...np.env(), RATE_LIMIT_CHECKOUT_PER_MINUTE: '100', NOWPAYMENTS_PAYOUT_CURRENCY: 'usdttrc20' } });
    await sandboxSenders(t, 10);
  });
  afterAll(async () => {
    await t?.close();
    await np?.close();
  });

  const counts = async () => {
    const [o] = await t.ctx.db.select({ n: sql<number>`count(*)::int` }).from(orders);
    const [r] = await t.ctx.db.select({ n: sql<number>`count(*)::int` }).from(senders).where(eq(senders.state, 'reserved'));
    return { orders: o!.n, reserved: r!.n };
  };

  it("refuses a coin whose provider minimum is above the plan's price before any order, and takes another coin", async () => {
    np.setMinimumUsd('sol', 40);
    const email = freshEmail('minimum');
    const before = await counts();
    const invoices = np.requests.filter((r) => r.path === '/payment').length;
    const res = await checkout(t, { email, slug: 'bronze', currency: 'sol' });
    expect(res.status).toBe(422);
    expect(res.body.error).toEqual({
      code: 'unprocessable',
      message: 'SOL payments start at $40.00 with our payment provider, more than this plan costs. Please choose another coin.',
    });
    expect(await counts()).toEqual(before);
    expect(np.requests.filter((r) => r.path === '/payment')).toHaveLength(invoices);
    expect(
      np.requests.some(
        (r) =>
          r.path.startsWith('/min-amount?') &&
          r.path.includes('currency_from=sol') &&
          r.path.includes('currency_to=usdttrc20') &&
          r.path.includes('fiat_equivalent=usd'),
      ),
    ).toBe(true);
    // Silver ($55) clears the same minimum; another coin clears Bronze.
    expect((await checkout(t, { email, slug: 'silver', currency: 'sol' })).status).toBe(201);
    expect((await checkout(t, { email: freshEmail('minimum-ltc'), slug: 'bronze', currency: 'ltc' })).status).toBe(201);

    // The minimum rose after it was cached (LTC's was read above): the provider refuses the
    // invoice, and the buyer hears why, with the reservation released.
    np.setMinimumUsd('ltc', 45);
    const late = await checkout(t, { email: freshEmail('minimum-late'), slug: 'bronze', currency: 'ltc' });
    expect(late.status).toBe(422);
    expect(late.body.error.message).toMatch(/below the smallest payment our provider accepts/);
    expect((await counts()).reserved).toBe(before.reserved + 2 + 1);
    // That refusal dropped the stale minimum: the next try is refused up front, with no order.
    const ordersBefore = (await counts()).orders;
    const retry = await checkout(t, { email: freshEmail('minimum-retry'), slug: 'bronze', currency: 'ltc' });
    expect(retry.status).toBe(422);
    expect(retry.body.error.message).toBe('LTC payments start at $45.00 with our payment provider, more than this plan costs. Please choose another coin.');
    expect((await counts()).orders).toBe(ordersBefore);
  });
});

import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestApp, type TestApp } from '../../../test/helpers/test-app.js';
import { activityLog, adbots, emails, orders, paymentEvents, payments, plans, senders, users } from '../../db/schema.js';
import { decrypt } from '../../lib/crypto.js';
import { maskSecret } from '../../platform/notifications/mask-secret.js';
import { checkout, countFulfilJobs, freshEmail } from '../checkout/checkout-test-helpers.js';
import { signIpn } from '../payments/ipn-signature.js';

const ADMIN_CODE = 'ADMIN-TEST-CODE-0123456789';

describe('admin API', () => {
  let t: TestApp;
  let admin: Record<string, string>;
  let customer: Record<string, string>;
  let reseller: Record<string, string>;
  let bought: { orderId: string; paymentId: string; email: string; accessCode: string; userId: string };

  const login = (accessCode: string) => t.api('POST', '/api/auth/login', { accessCode });
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  const count = async (table: typeof plans | typeof users | typeof activityLog | typeof paymentEvents | typeof senders | typeof emails) =>
    (await t.ctx.db.select({ n: sql<number>`count(*)::int` }).from(table))[0]!.n;

  /** Checkout + simulated "finished" IPN, through the real routes; waits for fulfilment. */
  async function buy(slug: string, email = freshEmail(slug)) {
    const created = await checkout(t, { email, slug, currency: 'btc' });
    expect(created.status).toBe(201);
    const sim = await t.api('POST', '/api/payment/simulate', { paymentId: created.body.paymentId, status: 'finished' });
    expect(sim.status).toBe(200);
    const order = await eventually(
      async () => (await t.ctx.db.select().from(orders).where(eq(orders.id, created.body.orderId))).find((o) => o.status === 'fulfilled'),
      20_000,
      'fulfilment',
    );
    const [user] = await t.ctx.db.select().from(users).where(eq(users.email, email));
    return {
      orderId: created.body.orderId as string,
      paymentId: String(created.body.paymentId),
      email,
      // Emails keep codes masked: take the one fulfilment sealed for the paying browser.
      accessCode: decrypt(order!.pendingAccessCode!, t.ctx.config.encryptionKey),
      userId: user!.id,
    };
  }

  beforeAll(async () => {
    t = await startTestApp({ env: { ADMIN_ACCESS_CODE: ADMIN_CODE, RATE_LIMIT_CHECKOUT_PER_MINUTE: '1000', RATE_LIMIT_LOGIN_FAILURES: '1000' } });
    const res = await login(ADMIN_CODE);
    expect(res.body.role).toBe('admin');
    admin = bearer(res.body.token);
    bought = await buy('bronze');
    const c = await login(bought.accessCode);
    expect(c.body.role).toBe('customer');
    customer = bearer(c.body.token);
    const r = await t.api('POST', '/api/admin/resellers', { email: freshEmail('admin-reseller'), commissionPercent: 10 }, admin);
    expect(r.status).toBe(201);
    const rl = await login(r.body.accessCode);
    expect(rl.body.role).toBe('reseller');
    reseller = bearer(rl.body.token);
  }, 60_000);
  afterAll(async () => t?.close());

  it('refuses every admin route without a session (401) and to a customer or reseller (403), changing nothing', async () => {
    const id = '00000000-0000-4000-8000-000000000000';
    const [bot] = await t.ctx.db.select().from(adbots).where(eq(adbots.userId, bought.userId));
    const routes: [string, string, unknown?][] = [
      ['GET', '/api/admin/overview'],
      ['GET', '/api/admin/products'],
      ['POST', '/api/admin/products', { slug: 'x', name: 'X', planType: 'starter', priceUsd: 1, senders: 1, postingIntervalSeconds: 60, validityDays: 30 }],
      ['PATCH', `/api/admin/products/${id}`, { active: false }],
      ['GET', '/api/admin/orders'],
      ['GET', `/api/admin/orders/${id}`],
      ['GET', '/api/admin/payment-events'],
      ['POST', `/api/admin/payment-events/${id}/replay`, {}],
      ['GET', '/api/admin/customers'],
      ['POST', `/api/admin/customers/${bought.userId}/rotate-code`, {}],
      ['POST', `/api/admin/customers/${bought.userId}/ban`, {}],
      ['POST', `/api/admin/customers/${bought.userId}/unban`, {}],
      ['GET', '/api/admin/adbots'],
      ['PATCH', `/api/admin/adbots/${bot!.id}`, { status: 'suspended' }],
      ['POST', `/api/admin/orders/${bought.orderId}/fulfil`, {}],
      ['POST', `/api/admin/orders/${bought.orderId}/refund`, {}],
      ['GET', '/api/admin/senders'],
      ['POST', '/api/admin/senders', { tokens: ['123456:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'] }],
      ['GET', '/api/admin/emails'],
      ['GET', '/api/admin/activity'],
    ];
    const plansBefore = await count(plans);
    const logBefore = await count(activityLog);
    const sendersBefore = await count(senders);
    for (const [method, path, body] of routes) {
      expect((await t.api(method, path, body)).status, `${method} ${path} anonymous`).toBe(401);
      expect((await t.api(method, path, body, customer)).status, `${method} ${path} as customer`).toBe(403);
      expect((await t.api(method, path, body, reseller)).status, `${method} ${path} as reseller`).toBe(403);
    }
    expect(await count(plans)).toBe(plansBefore);
    expect(await count(activityLog)).toBe(logBefore);
    expect(await count(senders)).toBe(sendersBefore);
    const [botAfter] = await t.ctx.db.select().from(adbots).where(eq(adbots.id, bot!.id));
    expect(botAfter).toEqual(bot);
    expect((await login(bought.accessCode)).status).toBe(200);
  });

  describe('plans', () => {
    const valid = { slug: 'platinum', name: 'Platinum', planType: 'enterprise', priceUsd: 1234.5, senders: 4, postingIntervalSeconds: 45, validityDays: 60 };

    it('creates a plan that the pricing page lists, with the price in exact cents', async () => {
      const res = await t.api('POST', '/api/admin/products', valid, admin);
      expect(res.status).toBe(201);
      expect(res.body.product).toMatchObject({ ...valid, active: true });
      const [row] = await t.ctx.db.select().from(plans).where(eq(plans.slug, 'platinum'));
      expect(row!.priceCents).toBe(123450);
      const pub = await t.api('GET', '/api/products');
      expect(pub.body.products.find((p: any) => p.slug === 'platinum')).toMatchObject({
        priceUsd: 1234.5,
        senders: 4,
        postingIntervalSeconds: 45,
        validityDays: 60,
      });
      const log = await t.ctx.db.select().from(activityLog).where(eq(activityLog.subjectId, row!.id));
      expect(log.map((l) => l.action)).toEqual(['plan.created']);
    });

    it('rejects bad plans with a 400 that names the field, and creates nothing', async () => {
      const before = await count(plans);
      const bad: [Record<string, unknown>, string][] = [
        [{ ...valid, slug: 'p1', priceUsd: 10.999 }, 'priceUsd'],
        [{ ...valid, slug: 'p2', priceUsd: '12,50' }, 'priceUsd'],
        [{ ...valid, slug: 'p3', priceUsd: 0 }, 'priceUsd'],
        [{ ...valid, slug: 'p4', senders: 0 }, 'senders'],
        [{ ...valid, slug: 'p5', senders: 101 }, 'senders'],
        [{ ...valid, slug: 'p6', postingIntervalSeconds: 9 }, 'postingIntervalSeconds'],
        [{ ...valid, slug: 'p7', postingIntervalSeconds: 86_401 }, 'postingIntervalSeconds'],
        [{ ...valid, slug: 'p8', validityDays: 366 }, 'validityDays'],
        [{ ...valid, slug: 'p9', validityDays: 1.5 }, 'validityDays'],
        [{ ...valid, slug: 'Bad Slug' }, 'slug'],
        [{ ...valid, slug: 'p10', planType: 'gold' }, 'planType'],
        [{ ...valid, slug: 'p11', name: '' }, 'name'],
        [{ ...valid, slug: 'p12', priceCents: 100 }, 'priceCents'],
      ];
      for (const [body, field] of bad) {
        const res = await t.api('POST', '/api/admin/products', body, admin);
        expect(res.status, JSON.stringify(body)).toBe(400);
        expect(res.body.error.message).toContain(field);
      }
      expect((await t.api('POST', '/api/admin/products', 'not json', { ...admin, 'content-type': 'application/json' })).status).toBe(400);
      const dup = await t.api('POST', '/api/admin/products', { ...valid, name: 'Again' }, admin);
      expect(dup.status).toBe(409);
      expect(await count(plans)).toBe(before);
    });

    it('edits a plan for new sales only: the pricing page changes, sold orders keep their snapshot', async () => {
      const [silver] = await t.ctx.db.select().from(plans).where(eq(plans.slug, 'silver'));
      const pending = await checkout(t, { email: freshEmail('snap'), slug: 'silver', currency: 'btc' });
      expect(pending.status).toBe(201);

      const res = await t.api('PATCH', `/api/admin/products/${silver!.id}`, { priceUsd: '57.25', postingIntervalSeconds: 1500 }, admin);
      expect(res.status).toBe(200);
      expect(res.body.product).toMatchObject({ slug: 'silver', priceUsd: 57.25, postingIntervalSeconds: 1500, active: true });
      const pub = await t.api('GET', '/api/products');
      expect(pub.body.products.find((p: any) => p.slug === 'silver')).toMatchObject({ priceUsd: 57.25, postingIntervalSeconds: 1500 });

      const detail = await t.api('GET', `/api/admin/orders/${pending.body.orderId}`, undefined, admin);
      expect(detail.body.order).toMatchObject({ priceUsd: 55, postingIntervalSeconds: 1800 });
      const [pay] = await t.ctx.db.select().from(payments).where(eq(payments.orderId, pending.body.orderId));
      expect(pay!.priceCents).toBe(5500);
    });

    it('rejects bad edits with 400/404/409 and leaves the plan as it was', async () => {
      const [gold] = await t.ctx.db.select().from(plans).where(eq(plans.slug, 'gold'));
      for (const body of [{}, { priceUsd: 1.001 }, { senders: 0 }, { active: 'no' }, { postingIntervalSeconds: 5 }, { id: gold!.id }]) {
        const res = await t.api('PATCH', `/api/admin/products/${gold!.id}`, body, admin);
        expect(res.status, JSON.stringify(body)).toBe(400);
      }
      expect((await t.api('PATCH', '/api/admin/products/not-an-id', { active: false }, admin)).status).toBe(400);
      expect((await t.api('PATCH', '/api/admin/products/00000000-0000-4000-8000-000000000000', { active: false }, admin)).status).toBe(404);
      expect((await t.api('PATCH', `/api/admin/products/${gold!.id}`, { slug: 'bronze' }, admin)).status).toBe(409);
      const [after] = await t.ctx.db.select().from(plans).where(eq(plans.id, gold!.id));
      expect(after).toEqual(gold);
    });

    it('deactivates a plan: gone from the pricing page and from checkout, still listed for admins', async () => {
      const [elite] = await t.ctx.db.select().from(plans).where(eq(plans.slug, 'elite'));
      const res = await t.api('PATCH', `/api/admin/products/${elite!.id}`, { active: false }, admin);
      expect(res.status).toBe(200);
      expect(res.body.product.active).toBe(false);
      expect((await t.api('GET', '/api/products')).body.products.map((p: any) => p.slug)).not.toContain('elite');
      const list = await t.api('GET', '/api/admin/products', undefined, admin);
      expect(list.body.products.find((p: any) => p.slug === 'elite')).toMatchObject({ active: false, priceUsd: 899 });
      const buy = await checkout(t, { email: freshEmail('elite'), slug: 'elite', currency: 'btc' });
      expect(buy.status).toBeGreaterThanOrEqual(400);
      expect(buy.status).toBeLessThan(500);
      const log = await t.ctx.db.select().from(activityLog).where(eq(activityLog.subjectId, elite!.id));
      expect(log.map((l) => l.action)).toContain('plan.deactivated');
      await t.api('PATCH', `/api/admin/products/${elite!.id}`, { active: true }, admin);
      expect((await t.api('GET', '/api/products')).body.products.map((p: any) => p.slug)).toContain('elite');
    });
  });

  describe('orders and payment events', () => {
    it('lists orders with their payment, filters by status and email, and paginates', async () => {
      const all = await t.api('GET', '/api/admin/orders?limit=200', undefined, admin);
      expect(all.status).toBe(200);
      const row = all.body.orders.find((o: any) => o.id === bought.orderId);
      expect(row).toMatchObject({
        email: bought.email,
        planName: 'Bronze',
        priceUsd: 30,
        kind: 'new',
        status: 'fulfilled',
        backordered: false,
        paymentStatus: 'finished',
        payCurrency: 'btc',
      });
      expect(row.payAmount).toBe(row.actuallyPaid);
      expect(all.body.total).toBe(all.body.orders.length);

      const fulfilled = await t.api('GET', '/api/admin/orders?status=fulfilled', undefined, admin);
      expect(fulfilled.body.orders.length).toBeGreaterThan(0);
      expect(fulfilled.body.orders.every((o: any) => o.status === 'fulfilled')).toBe(true);
      const byEmail = await t.api('GET', `/api/admin/orders?email=${encodeURIComponent(bought.email.slice(0, 12).toUpperCase())}`, undefined, admin);
      expect(byEmail.body.orders.map((o: any) => o.id)).toEqual([bought.orderId]);
      expect(byEmail.body.total).toBe(1);
      const none = await t.api('GET', '/api/admin/orders?email=%25', undefined, admin);
      expect(none.body).toEqual({ orders: [], total: 0 });

      const page1 = await t.api('GET', '/api/admin/orders?limit=1&offset=0', undefined, admin);
      const page2 = await t.api('GET', '/api/admin/orders?limit=1&offset=1', undefined, admin);
      expect(page1.body.orders).toHaveLength(1);
      expect(page1.body.total).toBe(all.body.total);
      expect(page2.body.orders[0].id).not.toBe(page1.body.orders[0].id);

      for (const q of ['status=shipped', 'limit=0', 'limit=201', 'offset=-1', 'limit=abc']) {
        const res = await t.api('GET', `/api/admin/orders?${q}`, undefined, admin);
        expect(res.status, q).toBe(400);
      }
    });

    it('puts stuck and back-ordered orders first when unfiltered', async () => {
      const [bronze] = await t.ctx.db.select().from(plans).where(eq(plans.slug, 'bronze'));
      const [u] = await t.ctx.db
        .insert(users)
        .values({ email: freshEmail('stuck') })
        .returning();
      const snapshot = {
        userId: u!.id,
        planId: bronze!.id,
        kind: 'new' as const,
        planSlug: 'bronze',
        planName: 'Bronze',
        priceCents: 3000,
        senders: 1,
        postingIntervalSeconds: 3600,
        validityDays: 30,
        sendersToReserve: 1,
        payCurrency: 'btc',
      };
      const [stuck] = await t.ctx.db
        .insert(orders)
        .values({ ...snapshot, status: 'paid', paidAt: new Date(Date.now() - 30 * 60_000), createdAt: new Date(Date.now() - 86_400_000) })
        .returning();
      const [fresh] = await t.ctx.db
        .insert(orders)
        .values({ ...snapshot, status: 'pending' })
        .returning();
      const res = await t.api('GET', '/api/admin/orders', undefined, admin);
      expect(res.body.orders[0]).toMatchObject({ id: stuck!.id, attention: 'stuck', status: 'paid' });
      expect(res.body.orders.find((o: any) => o.id === fresh!.id).attention).toBeNull();
      const overview = await t.api('GET', '/api/admin/overview', undefined, admin);
      expect(overview.body.ordersNeedingAttention).toBeGreaterThanOrEqual(1);
      await t.ctx.db.update(orders).set({ status: 'expired' }).where(eq(orders.id, stuck!.id));
    });

    it('sorts orders, customers and senders by the column asked for, and names the choices for a bad one', async () => {
      const [bronze] = await t.ctx.db.select().from(plans).where(eq(plans.slug, 'bronze'));
      const email = freshEmail('sorting');
      const [u] = await t.ctx.db.insert(users).values({ email }).returning();
      const snapshot = {
        userId: u!.id,
        planId: bronze!.id,
        kind: 'new' as const,
        planSlug: 'bronze',
        planName: 'Bronze',
        senders: 1,
        postingIntervalSeconds: 3600,
        validityDays: 30,
        sendersToReserve: 1,
        payCurrency: 'btc',
        status: 'expired' as const,
      };
      // Inserted in an order that matches none of the sorts below.
      for (const [cents, minutesAgo] of [
        [4000, 3],
        [7000, 1],
        [1000, 2],
      ] as const) {
        await t.ctx.db.insert(orders).values({ ...snapshot, priceCents: cents, createdAt: new Date(Date.now() - minutesAgo * 60_000) });
      }
      const prices = async (sort: string) =>
        (await t.api('GET', `/api/admin/orders?email=${encodeURIComponent(email)}&sort=${sort}`, undefined, admin)).body.orders.map((o: any) => o.priceUsd);
      expect(await prices('price')).toEqual([10, 40, 70]);
      expect(await prices('-price')).toEqual([70, 40, 10]);
      expect(await prices('created')).toEqual([40, 10, 70]);
      expect(await prices('-created')).toEqual([70, 10, 40]);
      const numbers = (await t.api('GET', '/api/admin/orders?sort=-number&limit=200', undefined, admin)).body.orders.map((o: any) => o.orderNumber);
      expect(numbers).toEqual([...numbers].sort((a, b) => b - a));

      const spent = (await t.api('GET', '/api/admin/customers?sort=-spent&limit=200', undefined, admin)).body.customers.map((c: any) => c.spentUsd);
      expect(spent).toEqual([...spent].sort((a, b) => b - a));
      expect(spent[0]).toBeGreaterThan(0);
      const expiring = (await t.api('GET', '/api/admin/customers?sort=expires&limit=200', undefined, admin)).body.customers;
      const withBot = expiring.filter((c: any) => c.adbot);
      expect(expiring.slice(0, withBot.length)).toEqual(withBot); // customers without a bot last
      expect(withBot.map((c: any) => c.adbot.expiresAt)).toEqual(withBot.map((c: any) => c.adbot.expiresAt).sort());

      const states = (await t.api('GET', '/api/admin/senders?sort=-state&limit=500', undefined, admin)).body.senders.map((s: any) => s.state);
      expect(states).toEqual([...states].sort().reverse());
      expect(new Set(states).size).toBeGreaterThan(1);

      for (const path of ['/api/admin/orders?sort=amount', '/api/admin/customers?sort=--spent', '/api/admin/senders?sort=token']) {
        const res = await t.api('GET', path, undefined, admin);
        expect(res.status, path).toBe(400);
        expect(res.body.error.message, path).toMatch(/^sort: sort must be one of: /);
      }
    });

    it('shows one order with its payment, IPN timeline, license key hint and emails', async () => {
      const res = await t.api('GET', `/api/admin/orders/${bought.orderId}`, undefined, admin);
      expect(res.status).toBe(200);
      expect(res.body.order).toMatchObject({ id: bought.orderId, email: bought.email, status: 'fulfilled', planSlug: 'bronze' });
      expect(res.body.order.licenseKeyHint).toMatch(/^….{4}$/);
      expect(res.body.payment).toMatchObject({ provider: 'sandbox', providerPaymentId: bought.paymentId, status: 'finished', priceUsd: 30 });
      expect(res.body.events.map((e: any) => [e.source, e.status, e.signatureValid, e.verdict])).toEqual([['ipn', 'finished', true, 'applied']]);
      expect(res.body.emails).toHaveLength(1);
      expect(res.body.emails[0].to).toBe(bought.email);
      expect(JSON.stringify(res.body)).not.toMatch(/hash|pendingAccessCode|Access code:/i);

      expect((await t.api('GET', '/api/admin/orders/123', undefined, admin)).status).toBe(400);
      expect((await t.api('GET', '/api/admin/orders/00000000-0000-4000-8000-000000000000', undefined, admin)).status).toBe(404);
    });

    it('re-runs fulfilment safely: a fulfilled order stays as it was, an unknown id is a 404', async () => {
      const again = await t.api('POST', `/api/admin/orders/${bought.orderId}/fulfil`, undefined, admin);
      expect(again.status).toBe(200);
      expect(again.body).toEqual({ orderId: bought.orderId, result: 'already_fulfilled' });
      const unknown = await t.api('POST', '/api/admin/orders/00000000-0000-4000-8000-000000000000/fulfil', undefined, admin);
      expect(unknown.status).toBe(404);
      expect((await t.api('POST', '/api/admin/orders/nope/fulfil', undefined, admin)).status).toBe(400);
    });

    it('replays a stored valid IPN idempotently: a repeat of an applied status changes nothing', async () => {
      const detail = await t.api('GET', `/api/admin/orders/${bought.orderId}`, undefined, admin);
      const eventId = detail.body.events[0].id;
      const [orderBefore] = await t.ctx.db.select().from(orders).where(eq(orders.id, bought.orderId));
      const [payBefore] = await t.ctx.db.select().from(payments).where(eq(payments.orderId, bought.orderId));
      const jobsBefore = await countFulfilJobs(t.ctx, bought.orderId);

      for (let i = 0; i < 2; i++) {
        const res = await t.api('POST', `/api/admin/payment-events/${eventId}/replay`, {}, admin);
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({ eventId, verdict: 'duplicate', orderId: bought.orderId, orderStatus: 'fulfilled' });
      }
      const [orderAfter] = await t.ctx.db.select().from(orders).where(eq(orders.id, bought.orderId));
      const [payAfter] = await t.ctx.db.select().from(payments).where(eq(payments.orderId, bought.orderId));
      expect(orderAfter).toEqual(orderBefore);
      expect(payAfter).toEqual(payBefore);
      expect(await countFulfilJobs(t.ctx, bought.orderId)).toBe(jobsBefore);
      const after = await t.api('GET', `/api/admin/orders/${bought.orderId}`, undefined, admin);
      expect(after.body.events.map((e: any) => [e.source, e.verdict])).toEqual([
        ['ipn', 'applied'],
        ['replay', 'duplicate'],
        ['replay', 'duplicate'],
      ]);
    });

    it('replay applies a stored event that was never applied (e.g. a crash mid-delivery)', async () => {
      const created = await checkout(t, { email: freshEmail('replay'), slug: 'bronze', currency: 'btc' });
      const [pay] = await t.ctx.db.select().from(payments).where(eq(payments.orderId, created.body.orderId));
      const body = {
        payment_id: created.body.paymentId,
        payment_status: 'confirming',
        price_amount: 30,
        price_currency: 'usd',
        pay_amount: pay!.payAmount,
        actually_paid: pay!.payAmount,
        pay_currency: 'btc',
        order_id: created.body.orderId,
      };
      const rawBody = JSON.stringify(body);
      const [stored] = await t.ctx.db
        .insert(paymentEvents)
        .values({
          source: 'ipn',
          providerPaymentId: String(created.body.paymentId),
          orderId: created.body.orderId,
          status: 'confirming',
          signatureValid: true,
          verdict: 'error',
          rawBody,
          headers: { 'x-nowpayments-sig': signIpn(body, t.ctx.config.nowpayments.ipnSecret) },
        })
        .returning();
      const res = await t.api('POST', `/api/admin/payment-events/${stored!.id}/replay`, {}, admin);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ verdict: 'applied', status: 'confirming', orderStatus: 'pending' });
      const [payAfter] = await t.ctx.db.select().from(payments).where(eq(payments.id, pay!.id));
      expect(payAfter!.status).toBe('confirming');
      const again = await t.api('POST', `/api/admin/payment-events/${stored!.id}/replay`, {}, admin);
      expect(again.body.verdict).toBe('duplicate');
      const log = await t.ctx.db.select().from(activityLog).where(eq(activityLog.action, 'payment_event.replayed'));
      expect(log.some((l) => l.actorUserId && (l.details as any).eventId === stored!.id)).toBe(true);
    });

    it('refuses to replay an unsigned or forged event, and lists events with a verdict filter', async () => {
      const forgedBody = { payment_id: bought.paymentId, payment_status: 'refunded', price_amount: 30, price_currency: 'usd', order_id: bought.orderId };
      const hook = await t.api('POST', '/api/payment/webhook', JSON.stringify(forgedBody), { 'content-type': 'application/json' });
      expect(hook.status).toBe(401);
      const list = await t.api('GET', '/api/admin/payment-events?verdict=rejected_unsigned', undefined, admin);
      expect(list.status).toBe(200);
      expect(list.body.total).toBe(1);
      const forged = list.body.events[0];
      expect(forged).toMatchObject({ signatureValid: false, replayable: false, source: 'ipn' });
      expect(JSON.stringify(list.body)).not.toContain('x-nowpayments-sig');
      const eventsBefore = await count(paymentEvents);
      const res = await t.api('POST', `/api/admin/payment-events/${forged.id}/replay`, {}, admin);
      expect(res.status).toBe(409);
      expect(res.body.error.message).toMatch(/valid signature/);
      expect(await count(paymentEvents)).toBe(eventsBefore);
      const [o] = await t.ctx.db.select().from(orders).where(eq(orders.id, bought.orderId));
      expect(o!.status).toBe('fulfilled');

      expect((await t.api('POST', '/api/admin/payment-events/nope/replay', {}, admin)).status).toBe(400);
      expect((await t.api('POST', '/api/admin/payment-events/00000000-0000-4000-8000-000000000000/replay', {}, admin)).status).toBe(404);
      const page = await t.api('GET', '/api/admin/payment-events?limit=2', undefined, admin);
      expect(page.body.events).toHaveLength(2);
      expect(page.body.total).toBeGreaterThan(2);
    });
  });

  describe('customers and bots', () => {
    it('lists customers with their bot, orders and spend, searchable by email', async () => {
      const res = await t.api('GET', `/api/admin/customers?q=${encodeURIComponent(bought.email)}`, undefined, admin);
      expect(res.status).toBe(200);
      expect(res.body.total).toBe(1);
      expect(res.body.customers[0]).toMatchObject({
        id: bought.userId,
        email: bought.email,
        banned: false,
        orders: 1,
        spentUsd: 30,
        adbot: { plan: 'Bronze', senders: 1, status: 'stopped' },
      });
      expect(JSON.stringify(res.body)).not.toMatch(/hash/i);
      const all = await t.api('GET', '/api/admin/customers?limit=200', undefined, admin);
      // Exactly the customer accounts: no admin, no reseller, none missing.
      const inDb = (await t.ctx.db.select({ id: users.id }).from(users).where(eq(users.role, 'customer'))).map((u) => u.id);
      expect(inDb.length).toBeGreaterThan(0);
      expect(all.body.total).toBe(inDb.length);
      expect(all.body.customers.map((c: any) => c.id).sort()).toEqual([...inDb].sort());
      const one = await t.api('GET', '/api/admin/customers?limit=1', undefined, admin);
      expect(one.body.customers).toHaveLength(1);
      expect(one.body.total).toBe(inDb.length);
      expect((await t.api('GET', '/api/admin/customers?limit=-3', undefined, admin)).status).toBe(400);
    });

    it('rotates an access code: shown once, the old one stops working, the new one logs in', async () => {
      const res = await t.api('POST', `/api/admin/customers/${bought.userId}/rotate-code`, {}, admin);
      expect(res.status).toBe(200);
      expect(res.body.accessCode).toMatch(/^HQ-/);
      expect(res.body.accessCode).not.toBe(bought.accessCode);
      expect((await login(bought.accessCode)).status).toBe(401);
      const fresh = await login(res.body.accessCode);
      expect(fresh.status).toBe(200);
      expect(fresh.body.role).toBe('customer');
      bought.accessCode = res.body.accessCode;
      const [adminUser] = await t.ctx.db.select().from(users).where(eq(users.role, 'admin'));
      expect((await t.api('POST', `/api/admin/customers/${adminUser!.id}/rotate-code`, {}, admin)).status).toBe(404);
      expect((await login(ADMIN_CODE)).status).toBe(200);
      expect((await t.api('POST', '/api/admin/customers/xyz/rotate-code', {}, admin)).status).toBe(400);
    });

    it('bans a customer (login 403, running bot stopped) and unbans them', async () => {
      await t.ctx.db.update(adbots).set({ status: 'running' }).where(eq(adbots.userId, bought.userId));
      const ban = await t.api('POST', `/api/admin/customers/${bought.userId}/ban`, {}, admin);
      expect(ban.status).toBe(200);
      expect(ban.body.customer).toMatchObject({ banned: true, botStopped: true });
      const denied = await login(bought.accessCode);
      expect(denied.status).toBe(403);
      const [bot] = await t.ctx.db.select().from(adbots).where(eq(adbots.userId, bought.userId));
      expect(bot!.status).toBe('stopped');
      const listed = await t.api('GET', `/api/admin/customers?q=${encodeURIComponent(bought.email)}`, undefined, admin);
      expect(listed.body.customers[0].banned).toBe(true);

      const unban = await t.api('POST', `/api/admin/customers/${bought.userId}/unban`, {}, admin);
      expect(unban.body.customer.banned).toBe(false);
      expect((await login(bought.accessCode)).status).toBe(200);
      const actions = (await t.ctx.db.select().from(activityLog).where(eq(activityLog.subjectId, bought.userId))).map((l) => l.action);
      expect(actions).toEqual(expect.arrayContaining(['customer.access_code_rotated', 'customer.banned', 'customer.unbanned']));
    });

    it('lists adbots by status and still edits them', async () => {
      const all = await t.api('GET', '/api/admin/adbots', undefined, admin);
      expect(all.status).toBe(200);
      const bot = all.body.adbots.find((b: any) => b.userId === bought.userId);
      expect(bot).toMatchObject({ email: bought.email, plan: 'Bronze', senders: 1, chats: 0 });
      const stopped = await t.api('GET', '/api/admin/adbots?status=suspended', undefined, admin);
      expect(stopped.body.adbots.map((b: any) => b.id)).not.toContain(bot.id);
      const patch = await t.api('PATCH', `/api/admin/adbots/${bot.id}`, { status: 'suspended' }, admin);
      expect(patch.status).toBe(200);
      const suspended = await t.api('GET', '/api/admin/adbots?status=suspended', undefined, admin);
      expect(suspended.body.adbots.map((b: any) => b.id)).toEqual([bot.id]);
      expect(suspended.body.total).toBe(1);
      expect((await t.api('GET', '/api/admin/adbots?status=flying', undefined, admin)).status).toBe(400);
      expect((await t.api('PATCH', `/api/admin/adbots/${bot.id}`, { status: 'flying' }, admin)).status).toBe(400);
      await t.api('PATCH', `/api/admin/adbots/${bot.id}`, { status: 'stopped' }, admin);
    });
  });

  describe('records and overview', () => {
    it('lists emails with their bodies, newest first, access codes masked', async () => {
      // No SMTP in tests: every email lands in the outbox once its job has run.
      await eventually(async () => (await t.ctx.db.select().from(emails).where(eq(emails.status, 'queued'))).length === 0, 20_000, 'emails filed');
      const res = await t.api('GET', '/api/admin/emails?limit=5', undefined, admin);
      expect(res.status).toBe(200);
      expect(res.body.total).toBe(await count(emails));
      expect(res.body.emails).toHaveLength(Math.min(5, res.body.total));
      const mail = (await t.api('GET', '/api/admin/emails?limit=200', undefined, admin)).body.emails.find(
        (m: any) => m.to === bought.email && m.body.includes('Access code:'),
      );
      expect(mail.status).toBe('outbox');
      expect(mail.subject.length).toBeGreaterThan(3);
      // The code as first issued (bought.accessCode has been rotated since).
      const [order] = await t.ctx.db.select().from(orders).where(eq(orders.id, bought.orderId));
      const emailed = decrypt(order!.pendingAccessCode!, t.ctx.config.encryptionKey);
      expect(mail.body).toContain(`Access code: ${maskSecret(emailed)}`);
      expect(JSON.stringify(mail)).not.toContain(emailed);
      expect((await t.api('GET', '/api/admin/emails?status=lost', undefined, admin)).status).toBe(400);
    });

    it('lists the activity log with actors, filterable by action prefix', async () => {
      const res = await t.api('GET', '/api/admin/activity?action=customer.', undefined, admin);
      expect(res.status).toBe(200);
      expect(res.body.entries.length).toBeGreaterThanOrEqual(3);
      expect(res.body.entries.every((e: any) => e.action.startsWith('customer.') && e.actorRole === 'admin')).toBe(true);
      expect(res.body.entries[0].actorUserId).toBeTruthy();
      const page = await t.api('GET', '/api/admin/activity?limit=1', undefined, admin);
      expect(page.body.entries).toHaveLength(1);
      expect(page.body.total).toBeGreaterThan(5);
    });

    it('summarises revenue, bots, stock and posting', async () => {
      const res = await t.api('GET', '/api/admin/overview', undefined, admin);
      expect(res.status).toBe(200);
      const o = res.body;
      expect(o.revenueByDay).toHaveLength(30);
      // The sale's own UTC day, not the clock's: the run may cross 00:00 UTC between sale and overview.
      const [sold] = await t.ctx.db.select().from(orders).where(eq(orders.id, bought.orderId));
      const soldDay = sold!.fulfilledAt!.toISOString().slice(0, 10);
      expect(o.revenueByDay.at(-1).date >= soldDay).toBe(true);
      expect(o.revenueByDay.find((d: any) => d.date === soldDay)?.usd).toBeGreaterThanOrEqual(30);
      expect(o.revenueByPlan.find((p: any) => p.plan === 'Bronze')).toMatchObject({ orders: 1, usd: 30 });
      expect(o.postsByDay).toHaveLength(14);
      expect(o.postsByDay[0]).toEqual({ date: expect.any(String), sent: 0, failed: 0 });
      const stockTotal = Object.values(o.stock as Record<string, number>).reduce((a, b) => a + b, 0);
      expect(stockTotal).toBe(24);
      expect(o.stock.assigned).toBe(1);
      expect(typeof o.activeBots).toBe('number');
    });

    it("sums revenue past the 32-bit limit ($21.4M) exactly, in the overview and a customer's spend", async () => {
      const email = freshEmail('whale');
      const [whale] = await t.ctx.db.insert(users).values({ email }).returning();
      const [plan] = await t.ctx.db.select().from(plans).where(eq(plans.slug, 'bronze'));
      const now = new Date();
      const big = {
        userId: whale!.id,
        planId: plan!.id,
        kind: 'new' as const,
        planSlug: 'whale',
        planName: 'Whale',
        priceCents: 999_999_999,
        senders: 1,
        postingIntervalSeconds: 60,
        validityDays: 30,
        sendersToReserve: 0,
        status: 'fulfilled' as const,
        payCurrency: 'btc',
        paidAt: now,
        fulfilledAt: now,
      };
      await t.ctx.db.insert(orders).values([big, big, big]);
      const res = await t.api('GET', '/api/admin/overview', undefined, admin);
      expect(res.status).toBe(200);
      expect(res.body.revenueByPlan.find((p: any) => p.plan === 'Whale')).toEqual({ plan: 'Whale', usd: 29_999_999.97, orders: 3 });
      expect(res.body.revenueByDay.find((d: any) => d.date === now.toISOString().slice(0, 10))?.usd).toBeGreaterThan(29_999_999.97);
      expect(res.body.revenue30dUsd).toBeGreaterThan(29_999_999.97);
      const customers = await t.api('GET', `/api/admin/customers?q=${encodeURIComponent(email)}`, undefined, admin);
      expect(customers.status).toBe(200);
      expect(customers.body.customers[0]).toMatchObject({ id: whale!.id, orders: 3, spentUsd: 29_999_999.97 });
    });
  });
});

// Admin API: orders, payment events, IPN replay.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshEmail } from '../../../test/factories/ids.js';
import { checkout, countFulfilJobs } from '../../../test/factories/orders.js';
import type { Auth } from '../../../test/factories/sessions.js';
import { type AdminSuite, startAdminSuite } from '../../../test/helpers/admin-suite.js';
import type { TestApp } from '../../../test/helpers/test-app.js';
import { activityLog, orders, paymentEvents, payments, plans, users } from '../../db/schema.js';
import { signIpn } from '../payments/ipn-signature.js';

const ADMIN_CODE = 'ADMIN-ORDERS-CODE-0123456789';

describe('admin API', () => {
  let t: TestApp;
  let admin: Auth;
  let bought: AdminSuite['bought'];
  let count: AdminSuite['count'];

  beforeAll(async () => {
    ({ t, admin, bought, count } = await startAdminSuite(ADMIN_CODE));
  }, 60_000);
  afterAll(async () => t?.close());

  describe('orders and payment events', () => {
    it('lists orders with their payment, filters by status and email, and paginates', async () => {
      // A second order (pending), so there is a second page.
      expect((await checkout(t, { email: freshEmail('second-page'), slug: 'silver', currency: 'btc' })).status).toBe(201);
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
      // The receipt (queued with the payment) and the fulfilment email with the access code.
      expect(res.body.emails).toHaveLength(2);
      expect(res.body.emails.map((e: any) => e.to)).toEqual([bought.email, bought.email]);
      expect(res.body.emails.map((e: any) => e.subject)).toContainEqual(expect.stringContaining('receipt'));
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
});

import { and, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestApp, type TestApp } from '../../../test/helpers/test-app.js';
import { activityLog, adbots, orders, paymentEvents, senders, users } from '../../db/schema.js';
import { addSenders, checkout, freshEmail, loadOrder } from '../checkout/checkout-test-helpers.js';
import { fulfilBackorders } from '../fulfilment/fulfil-backorders.js';
import { fulfilOrder } from '../fulfilment/fulfil-order.js';

const ADMIN_CODE = 'REFUND-ADMIN-CODE-0123456789';

describe('recording a refund', () => {
  let t: TestApp;
  let admin: Record<string, string>;
  const refund = (orderId: string, body: unknown = {}, headers = admin) => t.api('POST', `/api/admin/orders/${orderId}/refund`, body, headers);
  const simulate = (paymentId: string, status: string) => t.api('POST', '/api/payment/simulate', { paymentId, status });

  beforeAll(async () => {
    t = await startTestApp({ env: { ADMIN_ACCESS_CODE: ADMIN_CODE, RATE_LIMIT_CHECKOUT_PER_MINUTE: '1000' } });
    await addSenders(t.ctx, 6);
    const login = await t.api('POST', '/api/auth/login', { accessCode: ADMIN_CODE });
    admin = { authorization: `Bearer ${login.body.token}` };
  }, 60_000);
  afterAll(async () => t?.close());

  it('underpaid then expired: the money owed back is recorded as refunded, once', async () => {
    const buy = await checkout(t, { email: freshEmail('refund-under'), slug: 'bronze', currency: 'usdttrc20' });
    await simulate(buy.body.paymentId, 'partially_paid');
    await simulate(buy.body.paymentId, 'expired');
    expect((await loadOrder(t.ctx, buy.body.orderId)).order.status).toBe('expired');

    const res = await refund(buy.body.orderId, { note: '  tx 0xabc sent back  ' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ orderId: buy.body.orderId, orderStatus: 'refunded', paymentStatus: 'refunded' });
    const after = await loadOrder(t.ctx, buy.body.orderId);
    expect(after.order.status).toBe('refunded');
    expect(after.payment.status).toBe('refunded');
    expect(after.payment.actuallyPaid).toBe(String(Number(buy.body.payAmount) / 2));
    const events = await t.ctx.db
      .select()
      .from(paymentEvents)
      .where(and(eq(paymentEvents.orderId, buy.body.orderId), eq(paymentEvents.source, 'admin')));
    expect(events).toHaveLength(1);
    expect(JSON.parse(events[0]!.rawBody).note).toBe('tx 0xabc sent back');
    const [logged] = await t.ctx.db
      .select()
      .from(activityLog)
      .where(and(eq(activityLog.subjectId, buy.body.orderId), eq(activityLog.action, 'order.refund_recorded')));
    expect(logged).toBeDefined();

    const again = await refund(buy.body.orderId);
    expect(again.status).toBe(409);
    expect(again.body.error.message).toMatch(/already refunded/);
    // The buyer's checkout page says so too.
    expect((await t.api('GET', `/api/payment/status?paymentId=${buy.body.paymentId}`)).body).toMatchObject({ status: 'refunded', orderStatus: 'refunded' });
  });

  it('refuses an order nothing was paid for, and bad input, changing nothing', async () => {
    const buy = await checkout(t, { email: freshEmail('refund-none'), slug: 'bronze', currency: 'btc' });
    const res = await refund(buy.body.orderId);
    expect(res.status).toBe(409);
    expect(res.body.error.message).toMatch(/^Nothing was received for order #\d+/);
    await simulate(buy.body.paymentId, 'expired');
    expect((await refund(buy.body.orderId)).status).toBe(409);
    expect((await loadOrder(t.ctx, buy.body.orderId)).order.status).toBe('expired');

    expect((await refund('not-a-uuid')).status).toBe(400);
    expect((await refund('00000000-0000-4000-8000-000000000000')).status).toBe(404);
    const long = await refund(buy.body.orderId, { note: 'x'.repeat(501) });
    expect(long.status).toBe(400);
    expect(long.body.error.message).toMatch(/note is at most 500 characters/);
    expect((await refund(buy.body.orderId, { amount: 1 })).status).toBe(400);
    expect((await refund(buy.body.orderId, {}, {})).status).toBe(401);
    expect(
      await t.ctx.db
        .select()
        .from(paymentEvents)
        .where(and(eq(paymentEvents.orderId, buy.body.orderId), eq(paymentEvents.source, 'admin'))),
    ).toEqual([]);
  });

  it('a fulfilled order: refunded, the reseller loses the commission, the bot is left for the admin to decide', async () => {
    const created = await t.api('POST', '/api/admin/resellers', { email: freshEmail('refund-reseller'), commissionPercent: 10 }, admin);
    expect(created.status).toBe(201);
    const email = freshEmail('refund-full');
    const buy = await checkout(t, { email, slug: 'bronze', currency: 'btc', ref: created.body.reseller.referralCode });
    await simulate(buy.body.paymentId, 'finished');
    await eventually(async () => (await loadOrder(t.ctx, buy.body.orderId)).order.status === 'fulfilled', 20_000, 'fulfilment');
    const due = async () =>
      (await t.api('GET', '/api/admin/resellers?limit=200', undefined, admin)).body.resellers.find((r: any) => r.id === created.body.reseller.id).dueUsd;
    expect(await due()).toBe(3);
    const [user] = await t.ctx.db.select().from(users).where(eq(users.email, email));
    const [botBefore] = await t.ctx.db.select().from(adbots).where(eq(adbots.userId, user!.id));

    const res = await refund(buy.body.orderId);
    expect(res.status).toBe(200);
    expect(await due()).toBe(0);
    const [botAfter] = await t.ctx.db.select().from(adbots).where(eq(adbots.userId, user!.id));
    expect(botAfter!.expiresAt).toEqual(botBefore!.expiresAt);
    expect(await t.ctx.db.select().from(senders).where(eq(senders.adbotId, botAfter!.id))).toHaveLength(1);
    // A late provider event cannot undo it.
    await simulate(buy.body.paymentId, 'finished');
    expect((await loadOrder(t.ctx, buy.body.orderId)).order.status).toBe('refunded');
  });

  it('a paid, back-ordered order leaves the queue: new stock does not fulfil it', async () => {
    // Take every free sender so the late payment finds none.
    const buy = await checkout(t, { email: freshEmail('refund-backorder'), slug: 'bronze', currency: 'btc' });
    await simulate(buy.body.paymentId, 'expired');
    const free = await t.ctx.db.select().from(senders).where(eq(senders.state, 'unused'));
    await t.ctx.db.update(senders).set({ state: 'banned' }).where(eq(senders.state, 'unused'));
    await simulate(buy.body.paymentId, 'finished');
    await eventually(async () => (await loadOrder(t.ctx, buy.body.orderId)).order.backordered, 20_000, 'back-ordered');

    expect((await refund(buy.body.orderId)).status).toBe(200);
    const [order] = await t.ctx.db.select().from(orders).where(eq(orders.id, buy.body.orderId));
    expect(order).toMatchObject({ status: 'refunded', backordered: false });
    await addSenders(t.ctx, 2);
    // Run the back-order pass and the order's own fulfilment directly: neither may touch it.
    expect(await fulfilBackorders({ ctx: t.ctx })).toMatchObject({ fulfilled: 0 });
    expect(await fulfilOrder({ ctx: t.ctx, orderId: buy.body.orderId })).toBe('not_payable');
    const after = await loadOrder(t.ctx, buy.body.orderId);
    expect(after.order.status).toBe('refunded');
    expect(after.senders).toEqual([]);
    await t.ctx.db
      .update(senders)
      .set({ state: 'unused' })
      .where(
        inArray(
          senders.id,
          free.map((s) => s.id),
        ),
      );
  });
});

import { and, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { freshEmail } from '../../../test/factories/ids.js';
import { checkout, loadOrder, waitForOrderStatus } from '../../../test/factories/orders.js';
import { sandboxSenders } from '../../../test/factories/stock.js';
import { startTestApp, type TestApp } from '../../../test/helpers/test-app.js';
import { activityLog, adbots, notifications, orders, paymentEvents, payments, senders, users } from '../../db/schema.js';
import { fulfilBackorders } from '../fulfilment/fulfil-backorders.js';
import { fulfilOrder } from '../fulfilment/fulfil-order.js';
import { signIpn } from './ipn-signature.js';

const ADMIN_CODE = 'REFUND-ADMIN-CODE-0123456789';

describe('recording a refund', () => {
  let t: TestApp;
  let admin: Record<string, string>;
  const refund = (orderId: string, body: Record<string, unknown>, headers = admin) => t.api('POST', `/api/admin/orders/${orderId}/refund`, body, headers);
  const simulate = (paymentId: string, status: string) => t.api('POST', '/api/payment/simulate', { paymentId, status });

  beforeAll(async () => {
    t = await startTestApp({ env: { ADMIN_ACCESS_CODE: ADMIN_CODE, RATE_LIMIT_CHECKOUT_PER_MINUTE: '1000' } });
    await sandboxSenders(t, 6);
    const login = await t.api('POST', '/api/auth/login', { accessCode: ADMIN_CODE });
    admin = { authorization: `Bearer ${login.body.token}` };
  }, 60_000);
  afterAll(async () => t?.close());

  it('underpaid then expired: the money owed back is recorded as refunded, once', async () => {
    const buy = await checkout(t, { email: freshEmail('refund-under'), slug: 'bronze', currency: 'usdttrc20' });
    await simulate(buy.body.paymentId, 'partially_paid');
    await simulate(buy.body.paymentId, 'expired');
    expect((await loadOrder(t.ctx, buy.body.orderId)).order.status).toBe('expired');

    const res = await refund(buy.body.orderId, { expectedPaymentStatus: 'expired', note: '  tx 0xabc sent back  ' });
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

    const again = await refund(buy.body.orderId, { expectedPaymentStatus: 'refunded' });
    expect(again.status).toBe(409);
    expect(again.body.error.message).toMatch(/already refunded/);
    // The buyer's checkout page says so too.
    expect((await t.api('GET', `/api/payment/status?paymentId=${buy.body.paymentId}`)).body).toMatchObject({ status: 'refunded', orderStatus: 'refunded' });
  });

  it('refuses an order nothing was paid for, and bad input, changing nothing', async () => {
    const buy = await checkout(t, { email: freshEmail('refund-none'), slug: 'bronze', currency: 'btc' });
    const res = await refund(buy.body.orderId, { expectedPaymentStatus: 'waiting' });
    expect(res.status).toBe(409);
    expect(res.body.error.message).toMatch(/^Nothing was received for order #\d+/);
    await simulate(buy.body.paymentId, 'expired');
    expect((await refund(buy.body.orderId, { expectedPaymentStatus: 'expired' })).status).toBe(409);
    expect((await loadOrder(t.ctx, buy.body.orderId)).order.status).toBe('expired');

    expect((await refund('not-a-uuid', { expectedPaymentStatus: 'expired' })).status).toBe(400);
    expect((await refund('00000000-0000-4000-8000-000000000000', { expectedPaymentStatus: 'expired' })).status).toBe(404);
    const missing = await refund(buy.body.orderId, {});
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toBe('expectedPaymentStatus: the payment status you saw is required');
    const long = await refund(buy.body.orderId, { expectedPaymentStatus: 'expired', note: 'x'.repeat(501) });
    expect(long.status).toBe(400);
    expect(long.body.error.message).toMatch(/note is at most 500 characters/);
    expect((await refund(buy.body.orderId, { expectedPaymentStatus: 'expired', amount: 1 })).status).toBe(400);
    expect((await refund(buy.body.orderId, { expectedPaymentStatus: 'expired' }, {})).status).toBe(401);
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
    await waitForOrderStatus(t.ctx, buy.body.orderId, 'fulfilled');
    const due = async () =>
      (await t.api('GET', '/api/admin/resellers?limit=200', undefined, admin)).body.resellers.find((r: any) => r.id === created.body.reseller.id).dueUsd;
    expect(await due()).toBe(3);
    const [user] = await t.ctx.db.select().from(users).where(eq(users.email, email));
    const [botBefore] = await t.ctx.db.select().from(adbots).where(eq(adbots.userId, user!.id));

    const res = await refund(buy.body.orderId, { expectedPaymentStatus: 'finished' });
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
    await vi.waitFor(async () => expect((await loadOrder(t.ctx, buy.body.orderId)).order.backordered).toBe(true), { timeout: 20_000, interval: 100 });

    expect((await refund(buy.body.orderId, { expectedPaymentStatus: 'finished' })).status).toBe(200);
    const [order] = await t.ctx.db.select().from(orders).where(eq(orders.id, buy.body.orderId));
    expect(order).toMatchObject({ status: 'refunded', backordered: false });
    await sandboxSenders(t, 2);
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

  it('refuses an underpaid invoice that is still open (it may yet be paid in full), and allows it once lapsed', async () => {
    const buy = await checkout(t, { email: freshEmail('refund-open'), slug: 'bronze', currency: 'usdttrc20' });
    await simulate(buy.body.paymentId, 'partially_paid');
    const open = await refund(buy.body.orderId, { expectedPaymentStatus: 'partially_paid' });
    expect(open.status).toBe(409);
    expect(open.body.error.message).toMatch(/still open and may yet be paid in full/);
    expect((await loadOrder(t.ctx, buy.body.orderId)).order.status).toBe('partially_paid');
    await t.ctx.db
      .update(payments)
      .set({ expiresAt: new Date(Date.now() - 60_000) })
      .where(eq(payments.orderId, buy.body.orderId));
    expect((await refund(buy.body.orderId, { expectedPaymentStatus: 'partially_paid' })).status).toBe(200);
  });

  it('refuses when the payment moved since the admin looked, changing nothing', async () => {
    const buy = await checkout(t, { email: freshEmail('refund-moved'), slug: 'bronze', currency: 'usdttrc20' });
    await simulate(buy.body.paymentId, 'partially_paid');
    await simulate(buy.body.paymentId, 'expired');
    // The admin saw "expired"; the rest arrived late and the order was paid meanwhile.
    await simulate(buy.body.paymentId, 'finished');
    const res = await refund(buy.body.orderId, { expectedPaymentStatus: 'expired' });
    expect(res.status).toBe(409);
    expect(res.body.error.message).toBe('The payment changed to "finished" since you looked; review the order again before refunding');
    expect((await loadOrder(t.ctx, buy.body.orderId)).payment.status).toBe('finished');
    expect(
      await t.ctx.db
        .select()
        .from(paymentEvents)
        .where(and(eq(paymentEvents.orderId, buy.body.orderId), eq(paymentEvents.source, 'admin'))),
    ).toEqual([]);
  });

  it('money arriving after a refund is not applied, and the admins are told', async () => {
    const buy = await checkout(t, { email: freshEmail('refund-late'), slug: 'bronze', currency: 'usdttrc20' });
    await simulate(buy.body.paymentId, 'partially_paid');
    await simulate(buy.body.paymentId, 'expired');
    expect((await refund(buy.body.orderId, { expectedPaymentStatus: 'expired' })).status).toBe(200);
    const late = await simulate(buy.body.paymentId, 'finished');
    expect(late.body).toMatchObject({ verdict: 'ignored' });
    expect((await loadOrder(t.ctx, buy.body.orderId)).order.status).toBe('refunded');
    const alerts = await t.ctx.db.select().from(notifications).where(eq(notifications.kind, 'payment_after_refund'));
    expect(alerts.length).toBeGreaterThan(0);
    expect(alerts[0]!.body).toMatch(/^Order #\d+ \(Bronze\) was refunded, then the provider reported "finished"/);
    const [logged] = await t.ctx.db
      .select()
      .from(activityLog)
      .where(and(eq(activityLog.subjectId, buy.body.orderId), eq(activityLog.action, 'payment.after_refund')));
    expect(logged).toBeDefined();
  });

  it('the provider itself may report "refunded" after an underpaid invoice expired', async () => {
    const buy = await checkout(t, { email: freshEmail('refund-provider'), slug: 'bronze', currency: 'usdttrc20' });
    await simulate(buy.body.paymentId, 'partially_paid');
    await simulate(buy.body.paymentId, 'expired');
    // The simulator offers no "refunded", so this is the provider's own signed IPN.
    const [expired] = await t.ctx.db
      .select()
      .from(paymentEvents)
      .where(and(eq(paymentEvents.providerPaymentId, String(buy.body.paymentId)), eq(paymentEvents.status, 'expired')));
    const body = { ...JSON.parse(expired!.rawBody), payment_status: 'refunded' };
    const res = await t.api('POST', '/api/payment/webhook', body, { 'x-nowpayments-sig': signIpn(body, t.ctx.config.nowpayments.ipnSecret) });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ verdict: 'applied' });
    expect((await loadOrder(t.ctx, buy.body.orderId)).order.status).toBe('refunded');
  });
});

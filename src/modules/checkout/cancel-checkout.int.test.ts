import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshEmail } from '../../../test/factories/ids.js';
import { checkout } from '../../../test/factories/orders.js';
import { sandboxSenders } from '../../../test/factories/stock.js';
import { startTestApp, type TestApp } from '../../../test/helpers/test-app.js';
import { orders, senders } from '../../db/schema.js';

describe('the pay step: cancel a waiting invoice, or change its coin', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ worker: false, env: { RATE_LIMIT_CHECKOUT_PER_MINUTE: '1000' } });
    await sandboxSenders(t, 3);
  });
  afterAll(async () => t?.close());

  const secret = (s: string) => ({ 'x-checkout-secret': s });
  const orderOf = async (id: string) => (await t.ctx.db.select().from(orders).where(eq(orders.id, id)))[0]!;
  const reservedBy = async (orderId: string) => (await t.ctx.db.select().from(senders).where(eq(senders.orderId, orderId))).length;

  it('cancels: the order is cancelled, its stock released, and the same checkout makes a new invoice', async () => {
    const email = freshEmail('cancel');
    const buy = await checkout(t, { email, slug: 'bronze', currency: 'btc' });
    expect(buy.status).toBe(201);
    expect(await reservedBy(buy.body.orderId)).toBe(1);

    const res = await t.api('POST', '/api/payment/cancel', { paymentId: buy.body.paymentId }, secret(buy.body.checkoutSecret));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ orderId: buy.body.orderId, orderNumber: buy.body.orderNumber, orderStatus: 'cancelled' });
    expect((await orderOf(buy.body.orderId)).status).toBe('cancelled');
    expect(await reservedBy(buy.body.orderId)).toBe(0);

    // The plan's page no longer resumes the cancelled invoice.
    const again = await checkout(t, { email, slug: 'bronze', currency: 'btc' });
    expect(again.status).toBe(201);
    expect(again.body.orderId).not.toBe(buy.body.orderId);
    await t.api('POST', '/api/payment/cancel', { paymentId: again.body.paymentId }, secret(again.body.checkoutSecret));
  });

  it('only the browser holding the checkout secret may cancel; a second cancel is refused', async () => {
    const buy = await checkout(t, { email: freshEmail('cancel-auth'), slug: 'bronze', currency: 'ltc' });
    const { paymentId } = buy.body;
    expect((await t.api('POST', '/api/payment/cancel', { paymentId })).status).toBe(404);
    expect((await t.api('POST', '/api/payment/cancel', { paymentId }, secret('not-the-secret'))).status).toBe(404);
    expect((await orderOf(buy.body.orderId)).status).toBe('pending');
    expect((await t.api('POST', '/api/payment/cancel', { paymentId }, secret(buy.body.checkoutSecret))).status).toBe(200);
    const twice = await t.api('POST', '/api/payment/cancel', { paymentId }, secret(buy.body.checkoutSecret));
    expect(twice.status).toBe(409);
  });

  it('refuses (409) once money has been seen, and money on a cancelled order is still honoured', async () => {
    const buy = await checkout(t, { email: freshEmail('cancel-seen'), slug: 'bronze', currency: 'eth' });
    const { paymentId, checkoutSecret } = buy.body;
    await t.api('POST', '/api/payment/simulate', { paymentId, status: 'confirming' });
    const res = await t.api('POST', '/api/payment/cancel', { paymentId }, secret(checkoutSecret));
    expect(res.status).toBe(409);
    expect(res.body.error.message).toMatch(/money has already been seen/);
    const change = await t.api('POST', '/api/payment/change-coin', { paymentId, currency: 'btc' }, secret(checkoutSecret));
    expect(change.status).toBe(409);
    expect((await orderOf(buy.body.orderId)).status).toBe('pending');

    const late = await checkout(t, { email: freshEmail('cancel-late'), slug: 'bronze', currency: 'eth' });
    await t.api('POST', '/api/payment/cancel', { paymentId: late.body.paymentId }, secret(late.body.checkoutSecret));
    const paid = await t.api('POST', '/api/payment/simulate', { paymentId: late.body.paymentId, status: 'finished' });
    expect(paid.body).toMatchObject({ verdict: 'applied', orderStatus: 'paid' });
  });

  it('changes coin: a new order in the new coin that names the one it replaces', async () => {
    const email = freshEmail('coin');
    const buy = await checkout(t, { email, slug: 'bronze', currency: 'btc' });
    const { paymentId, checkoutSecret } = buy.body;
    expect((await t.api('POST', '/api/payment/change-coin', { paymentId, currency: 'btc' }, secret(checkoutSecret))).status).toBe(400);
    expect((await t.api('POST', '/api/payment/change-coin', { paymentId, currency: 'doge' }, secret(checkoutSecret))).status).toBe(400);
    expect((await t.api('POST', '/api/payment/change-coin', { paymentId, currency: 'sol' })).status).toBe(404);
    expect((await orderOf(buy.body.orderId)).status).toBe('pending');

    const res = await t.api('POST', '/api/payment/change-coin', { paymentId, currency: 'sol' }, secret(checkoutSecret));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ payCurrency: 'sol', replacesOrderNumber: buy.body.orderNumber, status: 'waiting' });
    expect(res.body.orderId).not.toBe(buy.body.orderId);
    expect(res.body.checkoutSecret).toEqual(expect.any(String));
    expect((await orderOf(buy.body.orderId)).status).toBe('cancelled');
    expect(await reservedBy(buy.body.orderId)).toBe(0);
    expect(await reservedBy(res.body.orderId)).toBe(1);
    const view = await t.api('GET', `/api/payment/status?paymentId=${res.body.paymentId}`, undefined, secret(res.body.checkoutSecret));
    expect(view.body).toMatchObject({ orderNumber: res.body.orderNumber, payCurrency: 'sol', orderStatus: 'pending' });
  });
});

describe('the status view the pay step polls', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ worker: false, env: { RATE_LIMIT_CHECKOUT_PER_MINUTE: '1000' } });
    await sandboxSenders(t, 2);
  });
  afterAll(async () => t?.close());

  it('after an underpayment: what was received and what is missing, across the invoice and its deposits', async () => {
    const buy = await checkout(t, { email: freshEmail('view-under'), slug: 'bronze', currency: 'usdttrc20' });
    const { paymentId, checkoutSecret, payAmount } = buy.body;
    expect(payAmount).toBe('30');
    const view = async () => (await t.api('GET', `/api/payment/status?paymentId=${paymentId}`, undefined, { 'x-checkout-secret': checkoutSecret })).body;
    expect(await view()).toMatchObject({ received: '0', confirming: null, missingAmount: null, surplus: null, network: null, payinExtraId: null });

    await t.api('POST', '/api/payment/simulate', { paymentId, status: 'confirming', actuallyPaid: '12' });
    expect(await view()).toMatchObject({
      status: 'confirming',
      received: '0',
      confirming: '12',
      deposits: [{ paymentId, topUp: false, status: 'confirming', amount: '12' }],
    });
    await t.api('POST', '/api/payment/simulate', { paymentId, status: 'partially_paid', actuallyPaid: '12' });
    expect(await view()).toMatchObject({ status: 'partially_paid', received: '12', missingAmount: '18', confirming: null });
  });

  it('"Payment seen" for the full amount then "Underpaid" is refused, not shown as "send the missing 0"', async () => {
    const buy = await checkout(t, { email: freshEmail('view-seen'), slug: 'bronze', currency: 'usdttrc20' });
    const { paymentId } = buy.body;
    await t.api('POST', '/api/payment/simulate', { paymentId, status: 'confirming' });
    const under = await t.api('POST', '/api/payment/simulate', { paymentId, status: 'partially_paid' });
    expect(under.status).toBe(422);
    const view = await t.api('GET', `/api/payment/status?paymentId=${paymentId}`, undefined, { 'x-checkout-secret': buy.body.checkoutSecret });
    expect(view.body).toMatchObject({ status: 'confirming', missingAmount: null });
  });

  it('an overpayment reports its surplus', async () => {
    const buy = await checkout(t, { email: freshEmail('view-over'), slug: 'bronze', currency: 'usdttrc20' });
    const { paymentId } = buy.body;
    await t.api('POST', '/api/payment/simulate', { paymentId, status: 'finished', actuallyPaid: '33.5' });
    const view = await t.api('GET', `/api/payment/status?paymentId=${paymentId}`, undefined, { 'x-checkout-secret': buy.body.checkoutSecret });
    expect(view.body).toMatchObject({ status: 'paid', orderStatus: 'paid', received: '33.5', surplus: '3.5', missingAmount: null });
  });
});

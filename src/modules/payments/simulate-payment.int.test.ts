import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshEmail } from '../../../test/factories/ids.js';
import { checkout, countFulfilJobs, loadOrder } from '../../../test/factories/orders.js';
import { sandboxSenders } from '../../../test/factories/stock.js';
import { startTestApp, type TestApp } from '../../../test/helpers/test-app.js';
import { paymentEvents } from '../../db/schema.js';
import { reconcilePayments } from './reconcile-payments.js';

describe('test mode: sandbox provider and simulated payments', () => {
  let t: TestApp;
  beforeAll(async () => {
    // No NOWPAYMENTS_API_KEY: test mode.
    t = await startTestApp({ worker: false, env: { RATE_LIMIT_CHECKOUT_PER_MINUTE: '1000' } });
    await sandboxSenders(t, 10);
  });
  afterAll(async () => t?.close());

  it('offers the five coins', async () => {
    const res = await t.api('GET', '/api/payment/currencies');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ currencies: ['btc', 'eth', 'sol', 'ltc', 'usdttrc20'] });
  });

  it('issues realistic sandbox invoices per coin, expiring in 60 minutes', async () => {
    const shapes: Record<string, RegExp> = {
      btc: /^bc1q[a-z0-9]{38}$/,
      eth: /^0x[0-9a-f]{40}$/,
      sol: /^[1-9A-HJ-NP-Za-km-z]{44}$/,
      ltc: /^ltc1q[a-z0-9]{38}$/,
      usdttrc20: /^T[1-9A-HJ-NP-Za-km-z]{33}$/,
    };
    for (const [coin, shape] of Object.entries(shapes)) {
      const res = await checkout(t, { email: freshEmail(coin), slug: 'bronze', currency: coin });
      expect(res.status).toBe(201);
      expect(res.body.payAddress).toMatch(shape);
      expect(Number(res.body.payAmount)).toBeGreaterThan(0);
      const minutes = (new Date(res.body.expiresAt).getTime() - Date.now()) / 60_000;
      expect(minutes).toBeGreaterThan(58);
      expect(minutes).toBeLessThan(61);
    }
  });

  it('simulate drives the signed webhook and the order becomes paid', async () => {
    const buy = await checkout(t, { email: freshEmail('sim'), slug: 'silver', currency: 'eth' });
    expect(buy.status).toBe(201);
    const { paymentId, orderId } = buy.body;

    const seen = await t.api('POST', '/api/payment/simulate', { paymentId, status: 'confirming' });
    expect(seen.status).toBe(200);
    expect(seen.body).toMatchObject({ httpStatus: 200, verdict: 'applied', status: 'confirming' });

    const paid = await t.api('POST', '/api/payment/simulate', { paymentId, status: 'finished' });
    expect(paid.body).toMatchObject({ httpStatus: 200, verdict: 'applied', status: 'finished', orderStatus: 'paid' });
    const { order } = await loadOrder(t.ctx, orderId);
    expect(order.status).toBe('paid');
    expect(await countFulfilJobs(t.ctx, orderId)).toBe(1);
    const status = await t.api('GET', `/api/payment/status?paymentId=${paymentId}`, undefined, { 'x-checkout-secret': buy.body.checkoutSecret });
    expect(status.body).toMatchObject({ paymentId, status: 'paid', orderStatus: 'paid', planSlug: 'silver', priceUsd: 55 });

    // It went through the real webhook: stored as a signed IPN.
    const events = await t.ctx.db.select().from(paymentEvents).where(eq(paymentEvents.providerPaymentId, paymentId));
    expect(events.map((e) => [e.source, e.signatureValid, e.verdict])).toEqual([
      ['ipn', true, 'applied'],
      ['ipn', true, 'applied'],
    ]);
    // Polling the sandbox agrees with what was applied.
    await reconcilePayments({ ctx: t.ctx, minIntervalMs: 0 });
    expect(await countFulfilJobs(t.ctx, orderId)).toBe(1);
  });

  it('simulates an underpayment with the missing amount shown', async () => {
    const buy = await checkout(t, { email: freshEmail('under'), slug: 'bronze', currency: 'ltc' });
    const r = await t.api('POST', '/api/payment/simulate', { paymentId: buy.body.paymentId, status: 'partially_paid' });
    expect(r.body).toMatchObject({ verdict: 'applied', orderStatus: 'partially_paid' });
    const status = await t.api('GET', `/api/payment/status?paymentId=${buy.body.paymentId}`, undefined, { 'x-checkout-secret': buy.body.checkoutSecret });
    expect(status.body.status).toBe('partially_paid');
    expect(Number(status.body.missingAmount)).toBeGreaterThan(0);
  });

  it('rejects a bad simulate request with 400', async () => {
    expect((await t.api('POST', '/api/payment/simulate', { paymentId: '1', status: 'stolen' })).status).toBe(400);
    expect((await t.api('POST', '/api/payment/simulate', { paymentId: 'nope', status: 'finished' })).status).toBe(404);
  });
});

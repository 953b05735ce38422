import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshEmail } from '../../../test/factories/ids.js';
import { checkout } from '../../../test/factories/orders.js';
import { adminToken, tokenFor } from '../../../test/factories/sessions.js';
import { sandboxSenders } from '../../../test/factories/stock.js';
import { startTestApp, type TestApp } from '../../../test/helpers/test-app.js';

// Provider payment ids are sequential at NOWPayments: knowing one is no proof of being the buyer.
describe('GET /api/payment/status', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ worker: false, env: { RATE_LIMIT_CHECKOUT_PER_MINUTE: '1000' } });
    await sandboxSenders(t, 4);
  });
  afterAll(async () => t?.close());

  const details = ['orderId', 'orderNumber', 'planSlug', 'planName', 'priceUsd', 'payAddress', 'payAmount', 'actuallyPaid', 'expiresAt'];

  it('by payment id alone answers only the status: no order, plan, price or address', async () => {
    const buy = await checkout(t, { email: freshEmail('enum'), slug: 'silver', currency: 'btc' });
    expect(buy.status).toBe(201);
    const res = await t.api('GET', `/api/payment/status?paymentId=${buy.body.paymentId}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ paymentId: buy.body.paymentId, status: 'waiting', orderStatus: 'pending' });
    expect(JSON.stringify(res.body)).not.toContain(buy.body.payAddress);
    // A wrong secret, or someone else's session, is no better than none.
    const wrong = await t.api('GET', `/api/payment/status?paymentId=${buy.body.paymentId}`, undefined, { 'x-checkout-secret': 'guess' });
    expect(Object.keys(wrong.body).sort()).toEqual(['orderStatus', 'paymentId', 'status']);
    const other = await checkout(t, { email: freshEmail('enum-other'), slug: 'bronze', currency: 'btc' });
    const otherBuyer = await t.api('GET', `/api/payment/status?paymentId=${buy.body.paymentId}`, undefined, {
      'x-checkout-secret': other.body.checkoutSecret,
    });
    expect(Object.keys(otherBuyer.body).sort()).toEqual(['orderStatus', 'paymentId', 'status']);
    const admin = await t.api('GET', `/api/payment/status?paymentId=${buy.body.paymentId}`, undefined, { authorization: `Bearer ${await adminToken(t.ctx)}` });
    expect(Object.keys(admin.body).sort()).toEqual(['orderStatus', 'paymentId', 'status']);
  });

  it('with the checkout secret, or as the order owner, shows the details the pay page needs', async () => {
    const buy = await checkout(t, { email: freshEmail('own'), slug: 'silver', currency: 'btc' });
    const bySecret = await t.api('GET', `/api/payment/status?paymentId=${buy.body.paymentId}`, undefined, { 'x-checkout-secret': buy.body.checkoutSecret });
    expect(bySecret.body).toMatchObject({
      paymentId: buy.body.paymentId,
      status: 'waiting',
      orderId: buy.body.orderId,
      planSlug: 'silver',
      priceUsd: 55,
      payAddress: buy.body.payAddress,
    });
    for (const key of details) expect(bySecret.body).toHaveProperty(key);
    const owner = {
      authorization: `Bearer ${await tokenFor(t.ctx, (await t.ctx.db.query.orders.findFirst({ where: (o, { eq }) => eq(o.id, buy.body.orderId) }))!.userId)}`,
    };
    const byOwner = await t.api('GET', `/api/payment/status?paymentId=${buy.body.paymentId}`, undefined, owner);
    expect(byOwner.body).toMatchObject({ orderId: buy.body.orderId, payAddress: buy.body.payAddress });
  });
});

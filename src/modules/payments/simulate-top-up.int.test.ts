import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshEmail } from '../../../test/factories/ids.js';
import { checkout } from '../../../test/factories/orders.js';
import { sandboxSenders } from '../../../test/factories/stock.js';
import { startTestApp, type TestApp } from '../../../test/helpers/test-app.js';
import { payments } from '../../db/schema.js';

describe("test mode's top-up behaves like NOWPayments' re-deposit", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ worker: false, env: { RATE_LIMIT_CHECKOUT_PER_MINUTE: '1000' } });
    await sandboxSenders(t, 2);
  });
  afterAll(async () => t?.close());

  it('sends the rest as a new child payment (its own id, parent = the invoice), and the order is paid', async () => {
    const buy = await checkout(t, { email: freshEmail('top-up'), slug: 'bronze', currency: 'usdttrc20' });
    const { paymentId, checkoutSecret } = buy.body;
    await t.api('POST', '/api/payment/simulate', { paymentId, status: 'partially_paid', actuallyPaid: '10' });

    const seen = await t.api('POST', '/api/payment/simulate', { paymentId, status: 'confirming', topUp: true });
    expect(seen.status).toBe(200);
    expect(seen.body.paymentId).not.toBe(paymentId);
    const [child] = await t.ctx.db.select().from(payments).where(eq(payments.providerPaymentId, seen.body.paymentId));
    expect(child).toMatchObject({ parentProviderPaymentId: paymentId, orderId: buy.body.orderId, actuallyPaid: '20', status: 'confirming' });

    // The next event of the same transfer goes to the same child, not a third payment.
    const paid = await t.api('POST', '/api/payment/simulate', { paymentId, status: 'finished', topUp: true });
    expect(paid.body).toMatchObject({ paymentId: seen.body.paymentId, orderStatus: 'paid' });
    expect(await t.ctx.db.select().from(payments).where(eq(payments.orderId, buy.body.orderId))).toHaveLength(2);
    const view = await t.api('GET', `/api/payment/status?paymentId=${paymentId}`, undefined, { 'x-checkout-secret': checkoutSecret });
    expect(view.body).toMatchObject({ orderStatus: 'paid', received: '30', missingAmount: null, surplus: null });
    expect(view.body.deposits).toEqual([
      { paymentId, topUp: false, status: 'partially_paid', amount: '10' },
      { paymentId: seen.body.paymentId, topUp: true, status: 'finished', amount: '20' },
    ]);
  });
});

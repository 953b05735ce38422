import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshEmail } from '../../../test/factories/ids.js';
import { checkout, loadOrder } from '../../../test/factories/orders.js';
import { sandboxSenders } from '../../../test/factories/stock.js';
import { startTestApp, type TestApp } from '../../../test/helpers/test-app.js';
import { applyPaymentStatus } from './apply-payment-status.js';

describe('applyPaymentStatus keeps the most money ever reported', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ worker: false, env: { RATE_LIMIT_CHECKOUT_PER_MINUTE: '1000' } });
    await sandboxSenders(t, 4);
  });
  afterAll(async () => t?.close());

  it('an expiry reporting 0 after an underpayment keeps the amount received', async () => {
    const buy = await checkout(t, { email: freshEmail('keep-max'), slug: 'bronze', currency: 'usdttrc20' });
    expect(buy.status).toBe(201);
    const { paymentId, orderId } = buy.body as { paymentId: string; orderId: string };
    const partial = await applyPaymentStatus({ ctx: t.ctx, providerPaymentId: paymentId, status: 'partially_paid', actuallyPaid: '12.5', source: 'ipn' });
    expect(partial.verdict).toBe('applied');
    const expired = await applyPaymentStatus({ ctx: t.ctx, providerPaymentId: paymentId, status: 'expired', actuallyPaid: '0', source: 'ipn' });
    expect(expired).toMatchObject({ verdict: 'applied', status: 'expired', orderStatus: 'expired' });
    const { order, payment } = await loadOrder(t.ctx, orderId);
    expect(order.status).toBe('expired');
    expect(payment.actuallyPaid).toBe('12.5');
  });

  it('a smaller partial amount after a larger one does not lower it; a larger one raises it', async () => {
    const buy = await checkout(t, { email: freshEmail('keep-max2'), slug: 'bronze', currency: 'ltc' });
    const { paymentId, orderId } = buy.body as { paymentId: string; orderId: string };
    await applyPaymentStatus({ ctx: t.ctx, providerPaymentId: paymentId, status: 'partially_paid', actuallyPaid: '0.02', source: 'ipn' });
    await applyPaymentStatus({ ctx: t.ctx, providerPaymentId: paymentId, status: 'partially_paid', actuallyPaid: '0.005', source: 'poll' });
    expect((await loadOrder(t.ctx, orderId)).payment.actuallyPaid).toBe('0.02');
    const more = await applyPaymentStatus({ ctx: t.ctx, providerPaymentId: paymentId, status: 'partially_paid', actuallyPaid: '0.03', source: 'ipn' });
    expect(more.verdict).toBe('applied');
    expect((await loadOrder(t.ctx, orderId)).payment.actuallyPaid).toBe('0.03');
  });
});

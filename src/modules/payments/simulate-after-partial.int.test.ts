import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshEmail } from '../../../test/factories/ids.js';
import { checkout } from '../../../test/factories/orders.js';
import { sandboxSenders } from '../../../test/factories/stock.js';
import { startTestApp, type TestApp } from '../../../test/helpers/test-app.js';
import { paymentEvents } from '../../db/schema.js';

describe('simulating a status after an underpayment', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ worker: false, env: { RATE_LIMIT_CHECKOUT_PER_MINUTE: '1000' } });
    await sandboxSenders(t, 4);
  });
  afterAll(async () => t?.close());

  it('"expired" after "partially_paid" reports the amount already received, not 0', async () => {
    const buy = await checkout(t, { email: freshEmail('under-exp'), slug: 'bronze', currency: 'usdttrc20' });
    const { paymentId } = buy.body;
    const partial = await t.api('POST', '/api/payment/simulate', { paymentId, status: 'partially_paid' });
    expect(partial.body).toMatchObject({ verdict: 'applied' });
    const secret = { 'x-checkout-secret': buy.body.checkoutSecret };
    const before = await t.api('GET', `/api/payment/status?paymentId=${paymentId}`, undefined, secret);
    const expired = await t.api('POST', '/api/payment/simulate', { paymentId, status: 'expired' });
    expect(expired.status).toBe(200);

    const [event] = await t.ctx.db
      .select({ rawBody: paymentEvents.rawBody })
      .from(paymentEvents)
      .where(and(eq(paymentEvents.providerPaymentId, paymentId), eq(paymentEvents.status, 'expired')));
    const sent = JSON.parse(event!.rawBody) as { actually_paid: number };
    expect(sent.actually_paid).toBeGreaterThan(0);
    expect(sent.actually_paid).toBe(Number(buy.body.payAmount) / 2);
    const after = await t.api('GET', `/api/payment/status?paymentId=${paymentId}`, undefined, secret);
    expect(after.body.actuallyPaid ?? null).toEqual(before.body.actuallyPaid ?? null);
  });

  it('"expired" with nothing paid still reports 0', async () => {
    const buy = await checkout(t, { email: freshEmail('plain-exp'), slug: 'bronze', currency: 'ltc' });
    const { paymentId } = buy.body;
    await t.api('POST', '/api/payment/simulate', { paymentId, status: 'expired' });
    const [event] = await t.ctx.db
      .select({ rawBody: paymentEvents.rawBody })
      .from(paymentEvents)
      .where(and(eq(paymentEvents.providerPaymentId, paymentId), eq(paymentEvents.status, 'expired')));
    expect((JSON.parse(event!.rawBody) as { actually_paid: number }).actually_paid).toBe(0);
  });
});

// Issue 9: "keep pay_amount from IPNs and polls current". NOWPayments re-quotes an invoice (its
// rate estimate lapses and is renewed), and every IPN and GET /payment/:id carries the amount it
// now asks for: the stored payment and what the pay step polls must follow it, or the buyer is
// told to send an amount NOWPayments then counts as an underpayment.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshEmail } from '../../../test/factories/ids.js';
import { checkout } from '../../../test/factories/orders.js';
import { sandboxSenders } from '../../../test/factories/stock.js';
import { type FakeNowPayments, startFakeNowPayments } from '../../../test/fakes/nowpayments.js';
import { startTestApp, type TestApp } from '../../../test/helpers/test-app.js';
import { payments } from '../../db/schema.js';
import { reconcilePayments } from './reconcile-payments.js';

describe('pay_amount kept current (NOWPayments re-quotes)', () => {
  let np: FakeNowPayments;
  let t: TestApp;
  beforeAll(async () => {
    np = await startFakeNowPayments();
    t = await startTestApp({ worker: false, env: { ...np.env(), RATE_LIMIT_CHECKOUT_PER_MINUTE: '100' } });
    await sandboxSenders(t, 10);
  });
  afterAll(async () => {
    await t?.close();
    await np?.close();
  });

  async function buy(currency = 'btc') {
    const res = await checkout(t, { email: freshEmail('requote'), slug: 'bronze', currency });
    expect(res.status).toBe(201);
    return res.body as { paymentId: string; payAmount: string; checkoutSecret: string };
  }
  const stored = async (paymentId: string) => (await t.ctx.db.select().from(payments).where(eq(payments.providerPaymentId, paymentId)))[0]!;
  const polled = async (o: { paymentId: string; checkoutSecret: string }) => {
    const res = await t.api('GET', `/api/payment/status?paymentId=${o.paymentId}`, undefined, { 'x-checkout-secret': o.checkoutSecret });
    expect(res.status).toBe(200);
    return res.body as { status: string; payAmount: string | null; missingAmount: string | null };
  };
  /** NOWPayments re-quotes the invoice at a new rate (what update-merchant-estimate does once the estimate lapsed). */
  const requote = (paymentId: string, factor: number) => {
    const fake = np.payments.get(paymentId)!;
    fake.pay_amount = Number((fake.pay_amount * factor).toFixed(8));
    return String(fake.pay_amount);
  };

  it('an IPN carrying a new pay_amount (same status) updates the payment and the pay step', async () => {
    const o = await buy();
    const now = requote(o.paymentId, 1.25);
    expect(now).not.toBe(o.payAmount);
    expect(await np.setStatus(o.paymentId, 'waiting')).toBe(200);
    expect((await stored(o.paymentId)).payAmount).toBe(now);
    expect(await polled(o)).toMatchObject({ status: 'waiting', payAmount: now });
  });

  it('a reconciler poll carrying a new pay_amount (IPN lost) updates the payment and the pay step', async () => {
    const o = await buy('ltc');
    const now = requote(o.paymentId, 0.8);
    await np.setStatus(o.paymentId, 'waiting', { sendIpn: false });
    await reconcilePayments({ ctx: t.ctx, minIntervalMs: 0, now: new Date(Date.now() + 1000) });
    expect((await stored(o.paymentId)).payAmount).toBe(now);
    expect(await polled(o)).toMatchObject({ status: 'waiting', payAmount: now });
  });

  it('the first "confirming" IPN after a re-quote keeps its amount, and the missing amount follows it', async () => {
    const o = await buy();
    const now = requote(o.paymentId, 1.1);
    // The buyer sends the old amount: NOWPayments counts it against the new one.
    expect(await np.setStatus(o.paymentId, 'partially_paid', { actuallyPaid: Number(o.payAmount) })).toBe(200);
    expect((await stored(o.paymentId)).payAmount).toBe(now);
    const view = await polled(o);
    expect(view).toMatchObject({ status: 'partially_paid', payAmount: now });
    expect(Number(view.missingAmount)).toBeCloseTo(Number(now) - Number(o.payAmount), 8);
  });
});

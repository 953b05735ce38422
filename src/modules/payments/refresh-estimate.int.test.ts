// An invoice lives for days at NOWPayments but its quote for minutes: checkout records both,
// and refreshStaleEstimates renews the quote of invoices still waiting for money.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshEmail } from '../../../test/factories/ids.js';
import { checkout } from '../../../test/factories/orders.js';
import { sandboxSenders } from '../../../test/factories/stock.js';
import { type FakeNowPayments, startFakeNowPayments } from '../../../test/fakes/nowpayments.js';
import { startTestApp, type TestApp } from '../../../test/helpers/test-app.js';
import { orders, paymentEvents, payments } from '../../db/schema.js';
import { refreshStaleEstimates } from './refresh-estimate.js';

describe('invoice life, quote and refresh (NOWPayments)', () => {
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

  const buy = async (currency = 'btc') => {
    const res = await checkout(t, { email: freshEmail('quote'), slug: 'bronze', currency });
    expect(res.status).toBe(201);
    const [payment] = await t.ctx.db.select().from(payments).where(eq(payments.providerPaymentId, res.body.paymentId));
    return { res, payment: payment!, fake: np.payments.get(res.body.paymentId)! };
  };
  /** What the fake quotes for a payment at a rate (USD per coin). */
  const quoted = (fake: { price_amount: number }, rate: number) => String(Number((fake.price_amount / rate).toFixed(8)));
  const lapse = (paymentId: string) => {
    np.payments.get(paymentId)!.expiration_estimate_date = new Date(Date.now() - 1000).toISOString();
  };

  it('stores valid_until, the quote expiry, network and memo, and still holds stock for 60 minutes', async () => {
    const { res, payment, fake } = await buy('usdttrc20');
    expect(payment.expiresAt?.toISOString()).toBe(fake.valid_until);
    expect(payment.estimateExpiresAt?.toISOString()).toBe(fake.expiration_estimate_date);
    expect(payment).toMatchObject({ network: 'trx', payinExtraId: null, status: 'waiting' });
    const [order] = await t.ctx.db.select().from(orders).where(eq(orders.id, res.body.orderId));
    const heldMinutes = (order!.reservationExpiresAt!.getTime() - Date.now()) / 60_000;
    expect(heldMinutes).toBeGreaterThan(50);
    expect(heldMinutes).toBeLessThanOrEqual(60);
  });

  it('renews lapsed quotes of waiting invoices only, storing the new amount and expiry', async () => {
    const waiting = await buy();
    const fresh = await buy();
    const paying = await buy();
    await np.setStatus(paying.fake.payment_id, 'confirming');
    const later = new Date(waiting.payment.estimateExpiresAt!.getTime() + 60_000);
    lapse(waiting.res.body.paymentId);
    lapse(paying.res.body.paymentId);
    np.setRate('btc', 50_000);
    // `fresh` is stale by our clock too, but NOWPayments answers its live quote unchanged.
    const before = np.requests.length;

    expect(await refreshStaleEstimates({ ctx: t.ctx, now: later })).toBe(1);
    const asked = np.requests.slice(before).map((r) => r.path);
    expect(asked).toContain(`/payment/${waiting.res.body.paymentId}/update-merchant-estimate`);
    expect(asked).not.toContain(`/payment/${paying.res.body.paymentId}/update-merchant-estimate`);

    const [renewed] = await t.ctx.db.select().from(payments).where(eq(payments.id, waiting.payment.id));
    expect(renewed!.payAmount).toBe(quoted(waiting.fake, 50_000));
    expect(renewed!.payAmount).not.toBe(waiting.payment.payAmount);
    expect(renewed!.estimateExpiresAt!.getTime()).toBeGreaterThan(Date.now());
    // Not counted: NOWPayments answered its live quote unchanged.
    const [unchanged] = await t.ctx.db.select().from(payments).where(eq(payments.id, fresh.payment.id));
    expect(unchanged!.payAmount).toBe(fresh.payment.payAmount);
    const [confirming] = await t.ctx.db.select().from(payments).where(eq(payments.id, paying.payment.id));
    expect(confirming).toMatchObject({ status: 'confirming', payAmount: paying.payment.payAmount });
    const events = await t.ctx.db.select().from(paymentEvents).where(eq(paymentEvents.providerPaymentId, waiting.res.body.paymentId));
    expect(events.map((e) => e.verdict)).toContain('estimate_renewed');

    // Nothing is stale by the real clock now.
    expect(await refreshStaleEstimates({ ctx: t.ctx })).toBe(0);
  });

  it('carries on past a provider failure, and asks for at most batchSize invoices a run', async () => {
    const a = await buy();
    const b = await buy();
    const later = new Date(Math.max(a.payment.estimateExpiresAt!.getTime(), b.payment.estimateExpiresAt!.getTime()) + 60_000);
    lapse(a.res.body.paymentId);
    lapse(b.res.body.paymentId);
    np.setRate('btc', 40_000);
    np.failNext(500, `/payment/${a.res.body.paymentId}/update-merchant-estimate`);
    expect(await refreshStaleEstimates({ ctx: t.ctx, now: later })).toBe(1);
    const amountOf = async (id: string) => (await t.ctx.db.select().from(payments).where(eq(payments.id, id)))[0]!.payAmount;
    expect(await amountOf(a.payment.id)).toBe(a.payment.payAmount);
    expect(await amountOf(b.payment.id)).toBe(quoted(b.fake, 40_000));
    // The next run tries the failed one again.
    expect(await refreshStaleEstimates({ ctx: t.ctx, now: later })).toBe(1);
    expect(await amountOf(a.payment.id)).toBe(quoted(a.fake, 40_000));

    const before = np.requests.length;
    await refreshStaleEstimates({ ctx: t.ctx, now: later, batchSize: 1 });
    expect(np.requests.slice(before).filter((r) => r.path.endsWith('/update-merchant-estimate'))).toHaveLength(1);
  });
});

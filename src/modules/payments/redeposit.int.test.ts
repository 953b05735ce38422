import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshEmail } from '../../../test/factories/ids.js';
import { accessCodeFrom, checkout, emailsTo, loadOrder, waitForOrderStatus } from '../../../test/factories/orders.js';
import { sandboxSenders } from '../../../test/factories/stock.js';
import { type FakeNowPayments, startFakeNowPayments } from '../../../test/fakes/nowpayments.js';
import { startTestApp, type TestApp } from '../../../test/helpers/test-app.js';
import { notifications, payments } from '../../db/schema.js';
import { reconcilePayments } from './reconcile-payments.js';

// NOWPayments as it really behaves when a buyer underpays and sends the rest to the same
// address: the second transfer is a NEW child payment (own payment_id, parent_payment_id set).
// On the old code its IPN was answered 404 and the order stayed partially_paid for ever.
describe('re-deposits (child payments)', () => {
  let np: FakeNowPayments;
  let t: TestApp;
  beforeAll(async () => {
    np = await startFakeNowPayments();
    t = await startTestApp({ env: { ...np.env(), RATE_LIMIT_CHECKOUT_PER_MINUTE: '1000' } });
    await sandboxSenders(t, 10);
  });
  afterAll(async () => {
    await t?.close();
    await np?.close();
  });

  async function underpaidBronze() {
    const email = freshEmail('redeposit');
    const res = await checkout(t, { email, slug: 'bronze', currency: 'ltc' });
    expect(res.status).toBe(201);
    const half = Number(res.body.payAmount) / 2;
    expect(await np.setStatus(res.body.paymentId, 'partially_paid', { actuallyPaid: half })).toBe(200);
    expect((await loadOrder(t.ctx, res.body.orderId)).order.status).toBe('partially_paid');
    return { email, half, ...res.body } as { email: string; half: number; orderId: string; paymentId: string; payAmount: string };
  }

  /** Fulfilled, and the buyer's email with the access code is queued. */
  async function accessCodeEmailed(o: { orderId: string; email: string }) {
    await waitForOrderStatus(t.ctx, o.orderId, 'fulfilled');
    const mails = await emailsTo(t.ctx, o.email);
    expect(mails.some((m) => accessCodeFrom(m.bodyText) !== null)).toBe(true);
  }

  it('the child IPN is answered 200, linked to the order, and the order is paid and fulfilled', async () => {
    const o = await underpaidBronze();
    const child = await np.redeposit(o.paymentId, o.half);
    expect(child.ipnStatus).toBe(200);
    await waitForOrderStatus(t.ctx, o.orderId, 'fulfilled');
    const rows = await t.ctx.db.select().from(payments).where(eq(payments.orderId, o.orderId));
    expect(rows).toHaveLength(2);
    expect(rows.find((r) => r.providerPaymentId === child.paymentId)).toMatchObject({ parentProviderPaymentId: o.paymentId, status: 'finished' });
    await accessCodeEmailed(o);
  });

  it('the same through the reconciler when the child IPN is lost', async () => {
    const o = await underpaidBronze();
    await np.redeposit(o.paymentId, o.half, { sendIpn: false });
    expect((await loadOrder(t.ctx, o.orderId)).order.status).toBe('partially_paid');
    const run = await reconcilePayments({ ctx: t.ctx, minIntervalMs: 0 });
    expect(run.errors).toBe(0);
    await waitForOrderStatus(t.ctx, o.orderId, 'fulfilled');
    await accessCodeEmailed(o);
  });

  it('within the tolerance an underpayment pays the order; below it, it does not', async () => {
    const short = await underpaidBronze();
    // 99.5 % in all: within the default 1 %.
    await np.redeposit(short.paymentId, Number((short.half * 0.99).toFixed(8)));
    await waitForOrderStatus(t.ctx, short.orderId, 'fulfilled');
    const shorter = await underpaidBronze();
    await np.redeposit(shorter.paymentId, Number((shorter.half * 0.9).toFixed(8)));
    expect((await loadOrder(t.ctx, shorter.orderId)).order.status).toBe('partially_paid');
  });

  it('a signed payment naming nothing of ours is answered 200, kept, and shown to admins', async () => {
    const body = {
      payment_id: 987654321,
      payment_status: 'finished',
      actually_paid: 1,
      pay_currency: 'ltc',
      order_id: 'someone-else',
      price_amount: 30,
      price_currency: 'usd',
    };
    const { signIpn } = await import('./ipn-signature.js');
    const res = await t.api('POST', '/api/payment/webhook', JSON.stringify(body), {
      'content-type': 'application/json',
      'x-nowpayments-sig': signIpn(body, np.ipnSecret),
    });
    expect(res.status).toBe(200);
    const alerts = await t.ctx.db.select().from(notifications).where(eq(notifications.kind, 'payment_unknown'));
    expect(alerts.some((a) => a.body.includes('987654321'))).toBe(true);
  });
});

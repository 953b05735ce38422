import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countFulfilJobs, loadOrder } from '../../../test/factories/orders.js';
import type { FakeNowPayments } from '../../../test/fakes/nowpayments.js';
import { type IpnSuite, startIpnSuite } from '../../../test/helpers/ipn-suite.js';
import type { TestApp } from '../../../test/helpers/test-app.js';
import { orders, paymentEvents, payments } from '../../db/schema.js';
import { signIpn } from './ipn-signature.js';
import { reconcilePayments } from './reconcile-payments.js';

describe('IPN webhook: signatures, hostile shapes and what is recorded', () => {
  let ipn: IpnSuite;
  let np: FakeNowPayments;
  let t: TestApp;
  beforeAll(async () => {
    ipn = await startIpnSuite();
    ({ np, t } = ipn);
  });
  afterAll(async () => ipn?.close());

  it('rejects a forged or unsigned IPN with 401, stores it, and changes nothing', async () => {
    const { orderId, paymentId } = await ipn.buy();
    const before = await loadOrder(t.ctx, orderId);
    const p = np.payments.get(paymentId)!;
    p.payment_status = 'finished';
    p.actually_paid = p.pay_amount;
    const body = np.ipnBody(paymentId);

    const unsigned = await ipn.postIpn(body);
    const forged = await ipn.postIpn(body, { 'x-nowpayments-sig': signIpn(body, 'not-the-secret') });
    const tampered = await ipn.postIpn({ ...body, price_amount: 1 }, ipn.signed(body));
    for (const r of [unsigned, forged, tampered]) {
      expect(r.status).toBe(401);
      expect(r.body.error.code).toBe('invalid_signature');
    }
    const after = await loadOrder(t.ctx, orderId);
    expect(after.order).toEqual(before.order);
    expect(after.payment).toEqual(before.payment);
    expect(await countFulfilJobs(t.ctx, orderId)).toBe(0);
    const events = await ipn.eventsFor(paymentId);
    expect(events).toHaveLength(3);
    expect(events.every((e) => e.signatureValid === false && e.verdict.startsWith('rejected'))).toBe(true);
    expect(events.map((e) => e.rawBody)).toContain(JSON.stringify(body));
  });

  it("refuses a validly signed IPN carrying another order's id or another price", async () => {
    const a = await ipn.buy();
    const b = await ipn.buy();
    const before = await loadOrder(t.ctx, a.orderId);
    const p = np.payments.get(a.paymentId)!;
    p.payment_status = 'finished';
    p.actually_paid = p.pay_amount;
    const variants = [
      { ...np.ipnBody(a.paymentId), order_id: b.orderId },
      { ...np.ipnBody(a.paymentId), price_amount: 1 },
      { ...np.ipnBody(a.paymentId), price_currency: 'eur' },
    ];
    for (const body of variants) {
      const r = await ipn.postIpn(body, ipn.signed(body));
      expect(r.status).toBeGreaterThanOrEqual(400);
      expect(r.status).toBeLessThan(500);
    }
    const after = await loadOrder(t.ctx, a.orderId);
    expect(after.order).toEqual(before.order);
    expect(after.payment).toEqual(before.payment);
    expect((await loadOrder(t.ctx, b.orderId)).order.status).toBe('pending');
    expect(await countFulfilJobs(t.ctx, a.orderId)).toBe(0);
    const events = await ipn.eventsFor(a.paymentId);
    expect(events.filter((e) => e.verdict === 'rejected_mismatch' && e.signatureValid)).toHaveLength(3);
  });

  it('answers 404 for an unknown payment id and 400 for a missing one', async () => {
    expect((await t.api('GET', '/api/payment/status?paymentId=123')).status).toBe(404);
    const missing = await t.api('GET', '/api/payment/status');
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toMatch(/paymentId/);
  });

  it('has no simulator outside test mode', async () => {
    const { paymentId } = await ipn.buy();
    const r = await t.api('POST', '/api/payment/simulate', { paymentId, status: 'finished' });
    expect(r.status).toBe(404);
    expect(np.payments.get(paymentId)!.payment_status).toBe('waiting');
  });

  it('stores a delivery that is not even JSON and answers 401', async () => {
    const r = await t.api('POST', '/api/payment/webhook', 'payment_id=1&payment_status=finished', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(r.status).toBe(401);
    const rows = await t.ctx.db.select().from(paymentEvents).where(eq(paymentEvents.rawBody, 'payment_id=1&payment_status=finished'));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.signatureValid).toBe(false);
  });

  it('records a deeply nested forged delivery and answers 401, not 500', async () => {
    const deep = `{"payment_id":987654321,"x":${'['.repeat(3000)}1${']'.repeat(3000)}}`;
    const r = await ipn.postIpn(deep, { 'x-nowpayments-sig': 'ab' });
    expect(r.status).toBe(401);
    const stored = await t.ctx.db.select().from(paymentEvents).where(eq(paymentEvents.providerPaymentId, '987654321'));
    expect(stored.map((e) => e.verdict)).toEqual(['rejected_signature']);
  });

  it('records deliveries carrying NUL (raw 0x00 or \\u0000) instead of failing with 500', async () => {
    const { orderId, paymentId } = await ipn.buy('bronze', 'btc');
    const before = await loadOrder(t.ctx, orderId);
    const rawNul = `{"payment_id":"${paymentId}","payment_status":"finished","x":"a\u0000b"}`;
    const unsigned = await ipn.postIpn(rawNul);
    expect(unsigned.status).toBe(401);

    // Signed, with NUL escaped inside the JSON: it reaches the payment id and the status.
    const badId = { ...np.ipnBody(paymentId), payment_id: `${paymentId}\u0000` };
    const r1 = await ipn.postIpn(badId, ipn.signed(badId));
    expect(r1.status).toBe(400);
    const badStatus = { ...np.ipnBody(paymentId), payment_status: 'finished\u0000' };
    const r2 = await ipn.postIpn(badStatus, ipn.signed(badStatus));
    expect(r2.status).toBe(200);
    expect(r2.body.verdict).toBe('ignored_unknown_status');
    const forgedNul = { ...np.ipnBody(paymentId), order_description: 'x\u0000y' };
    const r3 = await ipn.postIpn(rawNul, { 'x-nowpayments-sig': signIpn(forgedNul, 'wrong') });
    expect(r3.status).toBe(401);

    const after = await loadOrder(t.ctx, orderId);
    expect(after.order).toEqual(before.order);
    expect(after.payment).toEqual(before.payment);
    const stored = await t.ctx.db
      .select()
      .from(paymentEvents)
      .where(eq(paymentEvents.rawBody, rawNul.replace('\u0000', '\\u0000')));
    expect(stored.map((e) => e.verdict).sort()).toEqual(['rejected_signature', 'rejected_unsigned']);
    const byVerdict = await t.ctx.db.select().from(paymentEvents).where(eq(paymentEvents.verdict, 'rejected_bad_payment_id'));
    expect(byVerdict).toHaveLength(1);
    expect(byVerdict[0]!.providerPaymentId).toBeNull();
    expect(byVerdict[0]!.signatureValid).toBe(true);
    const ignored = (await ipn.eventsFor(paymentId)).find((e) => e.verdict === 'ignored_unknown_status')!;
    expect(ignored.status).toBe('finished\\u0000');
  });

  it('partially_paid releases its reservation once the invoice lapses, and paying the rest still completes it', async () => {
    const { orderId, paymentId } = await ipn.buy('gold', 'eth');
    const p = np.payments.get(paymentId)!;
    expect(await np.setStatus(paymentId, 'partially_paid', { actuallyPaid: Number((p.pay_amount / 3).toFixed(8)) })).toBe(200);
    await reconcilePayments({ ctx: t.ctx, minIntervalMs: 0 });
    expect((await loadOrder(t.ctx, orderId)).senders).toHaveLength(3);

    // The invoice lapses.
    const past = new Date(Date.now() - 60_000);
    await t.ctx.db.update(payments).set({ expiresAt: past }).where(eq(payments.providerPaymentId, paymentId));
    await t.ctx.db.update(orders).set({ reservationExpiresAt: past }).where(eq(orders.id, orderId));
    const r = await reconcilePayments({ ctx: t.ctx, minIntervalMs: 0 });
    expect(r.released).toBeGreaterThanOrEqual(1);
    const lapsed = await loadOrder(t.ctx, orderId);
    expect(lapsed.order.status).toBe('partially_paid');
    expect(lapsed.payment.status).toBe('partially_paid');
    expect(lapsed.senders).toHaveLength(0);

    // No longer polled every 30 s.
    const checkedAt = (await loadOrder(t.ctx, orderId)).payment.lastCheckedAt;
    await reconcilePayments({ ctx: t.ctx, minIntervalMs: 0 });
    expect((await loadOrder(t.ctx, orderId)).payment.lastCheckedAt).toEqual(checkedAt);

    // The rest arrives, its IPN is lost: the slow poll pays the order and fulfilment takes over.
    await np.setStatus(paymentId, 'finished', { sendIpn: false });
    await reconcilePayments({ ctx: t.ctx, minIntervalMs: 0, now: new Date(Date.now() + 11 * 60_000) });
    expect((await loadOrder(t.ctx, orderId)).order.status).toBe('paid');
    expect(await countFulfilJobs(t.ctx, orderId)).toBe(1);
  });
});

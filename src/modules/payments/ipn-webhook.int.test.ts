import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countFulfilJobs, loadOrder } from '../../../test/factories/orders.js';
import type { FakeNowPayments } from '../../../test/fakes/nowpayments.js';
import { type IpnSuite, startIpnSuite } from '../../../test/helpers/ipn-suite.js';
import type { TestApp } from '../../../test/helpers/test-app.js';
import { notifications, paymentEvents, senders } from '../../db/schema.js';
import { reconcilePayments } from './reconcile-payments.js';

describe('IPN webhook: the payment state machine', () => {
  let ipn: IpnSuite;
  let np: FakeNowPayments;
  let t: TestApp;
  beforeAll(async () => {
    ipn = await startIpnSuite();
    ({ np, t } = ipn);
  });
  afterAll(async () => ipn?.close());

  it('applies the same finished IPN delivered 50 times concurrently exactly once', async () => {
    const { orderId, paymentId } = await ipn.buy();
    const p = np.payments.get(paymentId)!;
    p.payment_status = 'finished';
    p.actually_paid = p.pay_amount;
    const body = np.ipnBody(paymentId);
    const results = await Promise.all(Array.from({ length: 50 }, () => ipn.postIpn(body, ipn.signed(body))));
    expect(results.map((r) => r.status)).toEqual(Array(50).fill(200));
    expect(results.filter((r) => r.body.verdict === 'applied')).toHaveLength(1);
    expect(results.filter((r) => r.body.verdict === 'duplicate')).toHaveLength(49);

    const { order, payment } = await loadOrder(t.ctx, orderId);
    expect(order.status).toBe('paid');
    expect(order.paidAt).toBeInstanceOf(Date);
    expect(payment.status).toBe('finished');
    expect(await countFulfilJobs(t.ctx, orderId)).toBe(1);

    const late = await np.setStatus(paymentId, 'confirming');
    expect(late).toBe(200);
    const again = await loadOrder(t.ctx, orderId);
    expect(again.payment.status).toBe('finished');
    expect(again.order.status).toBe('paid');
    expect(await countFulfilJobs(t.ctx, orderId)).toBe(1);
  });

  it('walks waiting → confirming → finished and records an overpayment surplus', async () => {
    const { orderId, paymentId } = await ipn.buy('bronze', 'ltc');
    expect(await np.setStatus(paymentId, 'confirming')).toBe(200);
    expect((await loadOrder(t.ctx, orderId)).payment.status).toBe('confirming');
    expect((await t.api('GET', `/api/payment/status?paymentId=${paymentId}`)).body).toMatchObject({ status: 'confirming', orderStatus: 'pending' });
    const p = np.payments.get(paymentId)!;
    expect(await np.setStatus(paymentId, 'finished', { actuallyPaid: p.pay_amount + 0.01 })).toBe(200);
    const { order, payment } = await loadOrder(t.ctx, orderId);
    expect(order.status).toBe('paid');
    expect(payment.surplusAmount).toBe('0.01');
    expect(await countFulfilJobs(t.ctx, orderId)).toBe(1);
    expect((await t.api('GET', `/api/payment/status?paymentId=${paymentId}`)).body).toMatchObject({ status: 'paid', orderStatus: 'paid' });
  });

  it('partially_paid: no fulfilment, the customer is told what is missing, then paying the rest completes', async () => {
    const { orderId, paymentId, checkoutSecret } = await ipn.buy('silver', 'eth');
    const p = np.payments.get(paymentId)!;
    const half = Number((p.pay_amount / 2).toFixed(8));
    expect(await np.setStatus(paymentId, 'partially_paid', { actuallyPaid: half })).toBe(200);
    const { order, senders: held } = await loadOrder(t.ctx, orderId);
    expect(order.status).toBe('partially_paid');
    expect(held.every((s) => s.state === 'reserved')).toBe(true);
    expect(await countFulfilJobs(t.ctx, orderId)).toBe(0);
    const status = await t.api('GET', `/api/payment/status?paymentId=${paymentId}`, undefined, { 'x-checkout-secret': checkoutSecret });
    expect(status.body).toMatchObject({ status: 'partially_paid', orderStatus: 'partially_paid', actuallyPaid: String(half) });
    expect(Number(status.body.missingAmount)).toBeCloseTo(p.pay_amount - half, 8);
    const notes = await t.ctx.db.select().from(notifications).where(eq(notifications.userId, order.userId));
    expect(notes).toHaveLength(1);
    expect(notes[0]!.body).toContain(status.body.missingAmount);
    // The same IPN again notifies nobody twice.
    await np.setStatus(paymentId, 'partially_paid', { actuallyPaid: half });
    expect(await t.ctx.db.select().from(notifications).where(eq(notifications.userId, order.userId))).toHaveLength(1);

    expect(await np.setStatus(paymentId, 'finished')).toBe(200);
    expect((await loadOrder(t.ctx, orderId)).order.status).toBe('paid');
    expect(await countFulfilJobs(t.ctx, orderId)).toBe(1);
  });

  it('expired and failed end the order and release the reservation', async () => {
    for (const status of ['expired', 'failed'] as const) {
      const { orderId, paymentId } = await ipn.buy('gold', 'sol');
      expect((await loadOrder(t.ctx, orderId)).senders).toHaveLength(3);
      expect(await np.setStatus(paymentId, status)).toBe(200);
      const { order, payment, senders: held } = await loadOrder(t.ctx, orderId);
      expect(order.status).toBe(status);
      expect(payment.status).toBe(status);
      expect(held).toHaveLength(0);
      expect(await countFulfilJobs(t.ctx, orderId)).toBe(0);
      expect((await t.api('GET', `/api/payment/status?paymentId=${paymentId}`)).body.status).toBe(status);
    }
  });

  it('honours a late finished after expiry: order paid and handed to fulfilment', async () => {
    const { orderId, paymentId } = await ipn.buy('bronze', 'btc');
    await np.setStatus(paymentId, 'expired');
    expect((await loadOrder(t.ctx, orderId)).order.status).toBe('expired');
    expect(await np.setStatus(paymentId, 'finished')).toBe(200);
    const { order, payment } = await loadOrder(t.ctx, orderId);
    expect(order.status).toBe('paid');
    expect(payment.status).toBe('finished');
    expect(await countFulfilJobs(t.ctx, orderId)).toBe(1);
    // A failed invoice stays failed.
    const other = await ipn.buy('bronze', 'btc');
    await np.setStatus(other.paymentId, 'failed');
    await np.setStatus(other.paymentId, 'finished');
    expect((await loadOrder(t.ctx, other.orderId)).order.status).toBe('failed');
    expect(await countFulfilJobs(t.ctx, other.orderId)).toBe(0);
  });

  it('recovers a lost IPN through reconciliation', async () => {
    const { orderId, paymentId } = await ipn.buy('silver', 'ltc');
    await np.setStatus(paymentId, 'finished', { sendIpn: false });
    expect((await loadOrder(t.ctx, orderId)).order.status).toBe('pending');
    const result = await reconcilePayments({ ctx: t.ctx, minIntervalMs: 0 });
    expect(result.applied).toBeGreaterThanOrEqual(1);
    const { order, payment } = await loadOrder(t.ctx, orderId);
    expect(order.status).toBe('paid');
    expect(payment.status).toBe('finished');
    expect(await countFulfilJobs(t.ctx, orderId)).toBe(1);
    const polled = await t.ctx.db
      .select()
      .from(paymentEvents)
      .where(and(eq(paymentEvents.providerPaymentId, paymentId), eq(paymentEvents.source, 'poll')));
    expect(polled.map((e) => e.verdict)).toEqual(['applied']);
    // Running it again changes nothing.
    await reconcilePayments({ ctx: t.ctx, minIntervalMs: 0 });
    expect(await countFulfilJobs(t.ctx, orderId)).toBe(1);
  });

  it('keeps senders consistent: nothing reserved by a finished order is lost', async () => {
    const reserved = await t.ctx.db.select().from(senders).where(eq(senders.state, 'reserved'));
    expect(reserved.every((s) => s.orderId !== null)).toBe(true);
  });

  it('keeps only the first 4 KB of an unsigned delivery, and all of a signed one', async () => {
    const { paymentId } = await ipn.buy('bronze', 'btc');
    const big = { ...np.ipnBody(paymentId), padding: 'p'.repeat(10_000) };
    expect((await ipn.postIpn(big)).status).toBe(401);
    expect((await ipn.postIpn(big, ipn.signed(big))).status).toBe(200);
    const events = await ipn.eventsFor(paymentId);
    const unsignedEvent = events.find((e) => e.verdict === 'rejected_unsigned')!;
    expect(unsignedEvent.rawBody).toBe(JSON.stringify(big).slice(0, 4096));
    expect(events.find((e) => e.signatureValid)!.rawBody).toBe(JSON.stringify(big));
  });

  it('recovers a late payment whose IPN was lost after we expired the invoice by our own clock', async () => {
    const { orderId, paymentId } = await ipn.buy('bronze', 'eth');
    const later = new Date(Date.now() + 2 * 3600_000);
    await reconcilePayments({ ctx: t.ctx, minIntervalMs: 0, now: later });
    expect(await loadOrder(t.ctx, orderId)).toMatchObject({ order: { status: 'expired' }, payment: { status: 'expired' }, senders: [] });

    await np.setStatus(paymentId, 'finished', { sendIpn: false });
    // Lapsed invoices are asked about at the slow cadence only.
    await reconcilePayments({ ctx: t.ctx, minIntervalMs: 0 });
    expect((await loadOrder(t.ctx, orderId)).order.status).toBe('expired');

    await reconcilePayments({ ctx: t.ctx, minIntervalMs: 0, now: later });
    const { order, payment } = await loadOrder(t.ctx, orderId);
    expect(order.status).toBe('paid');
    expect(payment.status).toBe('finished');
    expect(await countFulfilJobs(t.ctx, orderId)).toBe(1);

    // A week after it lapsed it is no longer polled.
    const old = await ipn.buy('bronze', 'eth');
    await reconcilePayments({ ctx: t.ctx, minIntervalMs: 0, now: later });
    await np.setStatus(old.paymentId, 'finished', { sendIpn: false });
    await reconcilePayments({ ctx: t.ctx, minIntervalMs: 0, now: new Date(Date.now() + 8 * 86_400_000) });
    expect((await loadOrder(t.ctx, old.orderId)).order.status).toBe('expired');
  });

  it('refuses a signed finished IPN without order_id, price_amount or price_currency', async () => {
    const { orderId, paymentId } = await ipn.buy('bronze', 'sol');
    const p = np.payments.get(paymentId)!;
    p.payment_status = 'finished';
    p.actually_paid = p.pay_amount;
    for (const field of ['order_id', 'price_amount', 'price_currency']) {
      const body: Record<string, unknown> = { ...np.ipnBody(paymentId) };
      delete body[field];
      const r = await ipn.postIpn(body, ipn.signed(body));
      expect(r.status).toBe(422);
    }
    expect((await loadOrder(t.ctx, orderId)).order.status).toBe('pending');
    expect(await countFulfilJobs(t.ctx, orderId)).toBe(0);
  });

  it('a refund after the order was paid alerts the admins and is logged', async () => {
    const { orderId, paymentId } = await ipn.buy('bronze', 'sol');
    expect(await np.setStatus(paymentId, 'finished')).toBe(200);
    expect(await np.setStatus(paymentId, 'refunded')).toBe(200);
    expect((await loadOrder(t.ctx, orderId)).order.status).toBe('refunded');
    const alerts = await t.ctx.db
      .select()
      .from(notifications)
      .where(eq(notifications.dedupeKey, `order:${orderId}:refunded`));
    expect(alerts.length).toBeGreaterThan(0);
    expect(alerts.every((a) => a.kind === 'order_refunded')).toBe(true);
  });
});

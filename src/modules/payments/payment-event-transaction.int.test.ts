// A payment event's audit row and the status it causes commit together or not at all: a crash
// between the two must never leave a paid order with no record of what paid it (or the reverse).
import { eq, sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { freshEmail } from '../../../test/factories/ids.js';
import { checkout, countFulfilJobs, loadOrder } from '../../../test/factories/orders.js';
import { sandboxSenders } from '../../../test/factories/stock.js';
import { type FakeNowPayments, startFakeNowPayments } from '../../../test/fakes/nowpayments.js';
import { startTestApp, type TestApp } from '../../../test/helpers/test-app.js';
import { paymentEvents } from '../../db/schema.js';
import { signIpn } from './ipn-signature.js';
import { reconcilePayments } from './reconcile-payments.js';
import { replayPaymentEvent } from './replay-payment-event.js';

describe('payment events are written in the transaction of the status they cause', () => {
  let np: FakeNowPayments;
  let t: TestApp;
  beforeAll(async () => {
    np = await startFakeNowPayments();
    t = await startTestApp({ worker: false, env: { ...np.env(), RATE_LIMIT_CHECKOUT_PER_MINUTE: '1000' } });
    await sandboxSenders(t, 20);
  });
  afterEach(async () => {
    await t.ctx.db.execute(sql`drop trigger if exists fail_event on payment_events`);
    await t.ctx.db.execute(sql`drop trigger if exists fail_paid on orders`);
  });
  afterAll(async () => {
    await t?.close();
    await np?.close();
  });

  const buyAndPay = async () => {
    const res = await checkout(t, { email: freshEmail('atomic'), slug: 'silver', currency: 'btc' });
    expect(res.status).toBe(201);
    const { orderId, paymentId } = res.body as { orderId: string; paymentId: string };
    const p = np.payments.get(paymentId)!;
    p.payment_status = 'finished';
    p.actually_paid = p.pay_amount;
    return { orderId, paymentId };
  };
  const postIpn = (body: Record<string, unknown>) =>
    t.api('POST', '/api/payment/webhook', JSON.stringify(body), { 'content-type': 'application/json', 'x-nowpayments-sig': signIpn(body, np.ipnSecret) });
  const eventsFor = (paymentId: string) => t.ctx.db.select().from(paymentEvents).where(eq(paymentEvents.providerPaymentId, paymentId));

  /** The audit insert fails for rows recording an applied status of this payment (a crash at that point). */
  async function failAppliedEventsOf(paymentId: string) {
    await t.ctx.db.execute(
      sql.raw(`create or replace function fail_event() returns trigger language plpgsql as $$
      begin
        if new.verdict = 'applied' and new.provider_payment_id = '${paymentId}' then raise exception 'audit row lost'; end if;
        return new;
      end $$`),
    );
    await t.ctx.db.execute(sql`create trigger fail_event before insert on payment_events for each row execute function fail_event()`);
  }

  /** The order's move to paid fails (after the audit row was written in the same transaction). */
  async function failPaidOf(orderId: string) {
    await t.ctx.db.execute(
      sql.raw(`create or replace function fail_paid() returns trigger language plpgsql as $$
      begin
        if new.status = 'paid' and new.id = '${orderId}' then raise exception 'status write lost'; end if;
        return new;
      end $$`),
    );
    await t.ctx.db.execute(sql`create trigger fail_paid before update on orders for each row execute function fail_paid()`);
  }

  it('IPN: when its audit row cannot be written, the payment it reports is not applied either (and the delivery is still kept)', async () => {
    const { orderId, paymentId } = await buyAndPay();
    await failAppliedEventsOf(paymentId);
    expect((await postIpn(np.ipnBody(paymentId))).status).toBe(500);
    const after = await loadOrder(t.ctx, orderId);
    expect(after.order.status).toBe('pending');
    expect(after.payment.status).toBe('waiting');
    expect(await countFulfilJobs(t.ctx, orderId)).toBe(0);
    // Every delivery is recorded, even one that failed: on its own, as an error.
    expect((await eventsFor(paymentId)).map((e) => e.verdict)).toEqual(['error']);

    // The provider retries: now both commit.
    await t.ctx.db.execute(sql`drop trigger fail_event on payment_events`);
    expect((await postIpn(np.ipnBody(paymentId))).status).toBe(200);
    expect((await loadOrder(t.ctx, orderId)).order.status).toBe('paid');
    expect((await eventsFor(paymentId)).map((e) => e.verdict).sort()).toEqual(['applied', 'error']);
  });

  it('IPN: when the status write fails after the audit row was written, neither persists', async () => {
    const { orderId, paymentId } = await buyAndPay();
    await failPaidOf(orderId);
    expect((await postIpn(np.ipnBody(paymentId))).status).toBe(500);
    const after = await loadOrder(t.ctx, orderId);
    expect(after.order.status).toBe('pending');
    expect(after.payment.status).toBe('waiting');
    // No "applied" row for a status that did not commit: only the delivery's own error record.
    expect((await eventsFor(paymentId)).map((e) => e.verdict)).toEqual(['error']);
  });

  it('reconciliation: a poll that cannot record its audit row applies nothing, and the next poll does both', async () => {
    const { orderId, paymentId } = await buyAndPay();
    await failAppliedEventsOf(paymentId);
    const failed = await reconcilePayments({ ctx: t.ctx, minIntervalMs: 0 });
    expect(failed.errors).toBeGreaterThanOrEqual(1);
    expect((await loadOrder(t.ctx, orderId)).order.status).toBe('pending');
    expect((await loadOrder(t.ctx, orderId)).payment.status).toBe('waiting');
    expect(await eventsFor(paymentId)).toEqual([]);

    await t.ctx.db.execute(sql`drop trigger fail_event on payment_events`);
    await reconcilePayments({ ctx: t.ctx, minIntervalMs: 0 });
    expect((await loadOrder(t.ctx, orderId)).order.status).toBe('paid');
    expect((await eventsFor(paymentId)).map((e) => [e.source, e.verdict])).toEqual([['poll', 'applied']]);
  });

  it('reconciliation: when the status write fails after the audit row, neither persists', async () => {
    const { orderId, paymentId } = await buyAndPay();
    await failPaidOf(orderId);
    await reconcilePayments({ ctx: t.ctx, minIntervalMs: 0 });
    expect((await loadOrder(t.ctx, orderId)).payment.status).toBe('waiting');
    expect(await eventsFor(paymentId)).toEqual([]);
  });

  it('replay: the replay row commits with the status it applies, or not at all', async () => {
    const { orderId, paymentId } = await buyAndPay();
    // A signed delivery refused for a reason that has since passed: kept, and replayable.
    await failPaidOf(orderId);
    expect((await postIpn(np.ipnBody(paymentId))).status).toBe(500);
    const [stored] = await eventsFor(paymentId);
    await t.ctx.db.execute(sql`drop trigger fail_paid on orders`);

    await failAppliedEventsOf(paymentId);
    await expect(replayPaymentEvent({ ctx: t.ctx, eventId: stored!.id, adminUserId: null })).rejects.toThrow();
    expect((await loadOrder(t.ctx, orderId)).order.status).toBe('pending');
    expect(await eventsFor(paymentId)).toHaveLength(1);

    await t.ctx.db.execute(sql`drop trigger fail_event on payment_events`);
    const replayed = await replayPaymentEvent({ ctx: t.ctx, eventId: stored!.id, adminUserId: null });
    expect(replayed.verdict).toBe('applied');
    expect((await loadOrder(t.ctx, orderId)).order.status).toBe('paid');
    const rows = await eventsFor(paymentId);
    expect(rows.find((e) => e.id === replayed.replayEventId)).toMatchObject({ source: 'replay', verdict: 'applied', orderId });
  });
});

// GET /api/user/orders and /api/user/orders/:orderNumber/receipt through the real app: a
// customer sees only their own orders, and a receipt only for an order whose money arrived.
import Big from 'big.js';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BoughtPlan, buyPlan, checkout, loadOrder } from '../../../test/factories/orders.js';
import { setStock } from '../../../test/factories/stock.js';
import { startTestApp, type TestApp } from '../../../test/helpers/test-app.js';
import { orders, payments } from '../../db/schema.js';

describe('customer orders and receipts', () => {
  let t: TestApp;
  let alice: BoughtPlan;
  let bob: BoughtPlan;
  let aliceNumber: number;
  let pendingNumber: number;
  let bobNumber: number;

  beforeAll(async () => {
    t = await startTestApp();
    await setStock(t.ctx, 6);
    alice = await buyPlan(t, { email: 'alice.orders@example.com', plan: 'bronze' });
    bob = await buyPlan(t, { email: 'bob.orders@example.com', plan: 'silver', currency: 'eth' });
    // Alice's second order, not paid: listed, without a receipt.
    const pending = await checkout(t, { email: alice.email, slug: 'gold', currency: 'ltc' });
    expect(pending.status).toBe(201);
    aliceNumber = Number((await loadOrder(t.ctx, alice.orderId)).order.orderNumber);
    pendingNumber = Number((await loadOrder(t.ctx, pending.body.orderId)).order.orderNumber);
    bobNumber = Number((await loadOrder(t.ctx, bob.orderId)).order.orderNumber);
  });
  afterAll(async () => t?.close());

  it('lists only the session user’s orders, newest first, with amounts in the coin', async () => {
    const res = await t.api('GET', '/api/user/orders', undefined, alice.auth);
    expect(res.status).toBe(200);
    expect(res.body.total).toBe(2);
    expect(res.body.orders.map((o: any) => o.orderNumber)).toEqual([pendingNumber, aliceNumber]);
    expect(res.body.orders.map((o: any) => o.orderNumber)).not.toContain(bobNumber);
    const [pending, paid] = res.body.orders;
    const { payment } = await loadOrder(t.ctx, alice.orderId);
    expect(paid).toMatchObject({
      planName: 'Bronze',
      planSlug: 'bronze',
      kind: 'new',
      priceUsd: 30,
      status: 'fulfilled',
      hasReceipt: true,
      creditedDays: null,
      amounts: { payCurrency: 'btc', due: payment.payAmount, received: payment.payAmount, surplus: null },
    });
    expect(paid.paidAt).toEqual(expect.any(String));
    expect(pending).toMatchObject({ planName: 'Gold', status: 'pending', hasReceipt: false, paidAt: null, amounts: { payCurrency: 'ltc', received: '0' } });
    expect(pending.amounts.due).toEqual(expect.any(String));

    const bobs = await t.api('GET', '/api/user/orders', undefined, bob.auth);
    expect(bobs.body.orders.map((o: any) => o.orderNumber)).toEqual([bobNumber]);
  });

  it('pages: limit and offset, with the total', async () => {
    const second = await t.api('GET', '/api/user/orders?limit=1&offset=1', undefined, alice.auth);
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ total: 2, orders: [{ orderNumber: aliceNumber }] });
    const bad = await t.api('GET', '/api/user/orders?limit=0', undefined, alice.auth);
    expect(bad.status).toBe(400);
  });

  it('shows the receipt of a paid order: seller, dates, plan, USD, coin, payment ids, what it bought', async () => {
    const res = await t.api('GET', `/api/user/orders/${aliceNumber}/receipt`, undefined, alice.auth);
    expect(res.status).toBe(200);
    const { order, payment } = await loadOrder(t.ctx, alice.orderId);
    expect(res.body).toEqual({
      seller: { name: 'HQAdz', website: t.ctx.config.publicUrl },
      orderNumber: aliceNumber,
      status: 'fulfilled',
      customerEmail: alice.email,
      createdAt: order.createdAt.toISOString(),
      paidAt: order.paidAt!.toISOString(),
      fulfilledAt: order.fulfilledAt!.toISOString(),
      plan: { name: 'Bronze', slug: 'bronze', senders: 1, postingIntervalSeconds: 3600, validityDays: 30 },
      priceUsd: 30,
      amounts: { payCurrency: 'btc', due: payment.payAmount, received: payment.payAmount, surplus: null },
      payments: [
        {
          providerPaymentId: alice.paymentId,
          role: 'invoice',
          status: 'finished',
          received: payment.actuallyPaid,
          payCurrency: 'btc',
          network: payment.network,
          createdAt: payment.createdAt.toISOString(),
        },
      ],
      bought: { kind: 'new', creditedDays: null, days: 30 },
    });
  });

  it('adds a re-deposit to what the receipt says was received, and names both payments', async () => {
    const { payment } = await loadOrder(t.ctx, bob.orderId);
    // A top-up NOWPayments recorded as a child payment after the invoice finished. Written by
    // hand: on this branch no use case links child payments yet (the protocol work does).
    await t.ctx.db.insert(payments).values({
      orderId: bob.orderId,
      parentProviderPaymentId: payment.providerPaymentId,
      provider: payment.provider,
      providerPaymentId: `${payment.providerPaymentId}-child`,
      status: 'finished',
      payAddress: payment.payAddress,
      payCurrency: payment.payCurrency,
      priceCents: 0,
      actuallyPaid: '0.001',
    });
    // The kind of order fulfilment credits as days on the running plan.
    await t.ctx.db.update(orders).set({ creditedDays: 12 }).where(eq(orders.id, bob.orderId));
    const res = await t.api('GET', `/api/user/orders/${bobNumber}/receipt`, undefined, bob.auth);
    expect(res.status).toBe(200);
    expect(res.body.amounts).toEqual({
      payCurrency: 'eth',
      due: payment.payAmount,
      received: new Big(payment.actuallyPaid!).plus('0.001').toString(),
      surplus: '0.001',
    });
    expect(res.body.payments.map((p: any) => [p.providerPaymentId, p.role])).toEqual([
      [payment.providerPaymentId, 'invoice'],
      [`${payment.providerPaymentId}-child`, 'top_up'],
    ]);
    expect(res.body.bought).toEqual({ kind: 'new', creditedDays: 12, days: 12 });
    const list = await t.api('GET', '/api/user/orders', undefined, bob.auth);
    expect(list.body.orders[0]).toMatchObject({ creditedDays: 12, amounts: { surplus: '0.001' } });
  });

  it('answers 409 for an unpaid order, 404 for another customer’s or a missing one, 401 without a session', async () => {
    const unpaid = await t.api('GET', `/api/user/orders/${pendingNumber}/receipt`, undefined, alice.auth);
    expect(unpaid.status).toBe(409);
    expect(unpaid.body.error.code).toBe('conflict');
    const others = await t.api('GET', `/api/user/orders/${bobNumber}/receipt`, undefined, alice.auth);
    expect(others.status).toBe(404);
    expect(others.body.error.code).toBe('not_found');
    // Another customer's unpaid order is as absent as a missing one: no 409 oracle either.
    const othersUnpaid = await t.api('GET', `/api/user/orders/${pendingNumber}/receipt`, undefined, bob.auth);
    expect(othersUnpaid.status).toBe(404);
    expect((await t.api('GET', '/api/user/orders/99999999/receipt', undefined, alice.auth)).status).toBe(404);
    expect((await t.api('GET', '/api/user/orders/abc/receipt', undefined, alice.auth)).status).toBe(400);
    expect((await t.api('GET', '/api/user/orders')).status).toBe(401);
    expect((await t.api('GET', `/api/user/orders/${aliceNumber}/receipt`)).status).toBe(401);
  });
});

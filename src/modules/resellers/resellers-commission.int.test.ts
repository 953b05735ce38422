// Reseller money: commission at fulfilment, payouts, rate changes, refunds, and what each reseller sees.
import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshEmail } from '../../../test/factories/ids.js';
import { checkout, createPaidOrder } from '../../../test/factories/orders.js';
import type { Auth } from '../../../test/factories/sessions.js';
import { addStock } from '../../../test/factories/stock.js';
import { type ResellerSuite, startResellerSuite } from '../../../test/helpers/reseller-suite.js';
import type { TestApp } from '../../../test/helpers/test-app.js';
import { activityLog, commissions, orders, payments, resellers, users } from '../../db/schema.js';
import { fulfilOrder } from '../fulfilment/fulfil-order.js';
import { applyPaymentStatus } from '../payments/apply-payment-status.js';
import { bookCommission } from './book-commission.js';

const ADMIN_CODE = 'ADMIN-RESELLER-MONEY-CODE-1234';

describe('resellers: commission, payouts, reseller API', () => {
  let t: TestApp;
  let admin: Auth;
  let suite: ResellerSuite;
  const newReseller = (body?: Record<string, unknown>) => suite.newReseller(body);
  const buy = (opts: Parameters<ResellerSuite['buy']>[0]) => suite.buy(opts);
  const counts = () => suite.counts();
  const seq = () => suite.seq();

  beforeAll(async () => {
    suite = await startResellerSuite(ADMIN_CODE);
    ({ t, admin } = suite);
  });
  afterAll(async () => t?.close());

  it('attributes a ?ref checkout, books price × percent once at fulfilment, and shows it to the reseller', async () => {
    await addStock(t.ctx, 4);
    const a = await newReseller({ commissionPercent: 12.5, referralCode: `ref_a_${seq()}` });
    const buyer = freshEmail('referred');
    const orderId = await buy({ email: buyer, ref: a.reseller.referralCode });

    const [order] = await t.ctx.db.select().from(orders).where(eq(orders.id, orderId));
    expect(order!.resellerId).toBe(a.reseller.id);
    const [customer] = await t.ctx.db.select().from(users).where(eq(users.email, buyer));
    expect(customer!.referredBy).toBe(a.reseller.id);

    // Bronze is $30: 12.5% = $3.75, booked exactly once however often fulfilment is re-run.
    expect(await fulfilOrder({ ctx: t.ctx, orderId })).toBe('already_fulfilled');
    expect(await bookCommission({ tx: t.ctx.db, orderId, resellerId: a.reseller.id, priceCents: 3000 })).toBeNull();
    const booked = await t.ctx.db.select().from(commissions).where(eq(commissions.orderId, orderId));
    expect(booked.map((c) => c.amountCents)).toEqual([375]);

    const me = await t.api('GET', '/api/reseller/me', undefined, a.auth);
    expect(me.body).toMatchObject({ earnedUsd: 3.75, paidUsd: 0, dueUsd: 3.75, customers: 1, orders: 1 });

    const ordersRes = await t.api('GET', '/api/reseller/orders', undefined, a.auth);
    expect(ordersRes.status).toBe(200);
    expect(ordersRes.body.orders).toEqual([
      {
        orderNumber: order!.orderNumber,
        customerEmail: `r***@example.com`,
        planName: 'Bronze',
        priceUsd: 30,
        commissionUsd: 3.75,
        status: 'fulfilled',
        createdAt: expect.any(String),
      },
    ]);
    expect(JSON.stringify(ordersRes.body)).not.toContain(buyer);

    const customersRes = await t.api('GET', '/api/reseller/customers', undefined, a.auth);
    expect(customersRes.body.customers).toEqual([
      { email: 'r***@example.com', orders: 1, spentUsd: 30, firstOrderAt: expect.any(String), planStatus: 'active', planName: 'Bronze' },
    ]);
    expect(Math.abs(new Date(customersRes.body.customers[0].firstOrderAt).getTime() - order!.createdAt.getTime())).toBeLessThan(5);

    const adminList = await t.api('GET', '/api/admin/resellers', undefined, admin);
    expect(adminList.body.resellers.find((r: any) => r.id === a.reseller.id)).toMatchObject({ customers: 1, earnedUsd: 3.75, dueUsd: 3.75 });

    // A pending order shows with no commission yet.
    const pending = await checkout(t, { email: freshEmail('pending'), slug: 'bronze', currency: 'eth', ref: a.reseller.referralCode });
    expect(pending.status).toBe(201);
    const after = await t.api('GET', '/api/reseller/orders', undefined, a.auth);
    expect(after.body.orders[0]).toMatchObject({ status: 'pending', commissionUsd: null, priceUsd: 30 });
    expect((await t.api('GET', '/api/reseller/me', undefined, a.auth)).body).toMatchObject({ earnedUsd: 3.75, customers: 2, orders: 1 });
  });

  it('records payouts that reduce what is due and refuses more than due with 409', async () => {
    const r = await newReseller({ commissionPercent: 20 });
    const { orderId } = await createPaidOrder(t.ctx, { email: freshEmail('payout'), plan: 'bronze', reserve: false, resellerId: r.reseller.id });
    await t.ctx.db.update(orders).set({ status: 'paid' }).where(eq(orders.id, orderId));
    await addStock(t.ctx, 1);
    expect(await fulfilOrder({ ctx: t.ctx, orderId })).toBe('fulfilled');

    const first = await t.api('POST', `/api/admin/resellers/${r.reseller.id}/payouts`, { amountUsd: 2.5, note: 'PayPal #1' }, admin);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({
      payout: { id: expect.any(String), amountUsd: 2.5, note: 'PayPal #1', createdAt: expect.any(String) },
      dueUsd: 3.5,
    });

    const tooMuch = await t.api('POST', `/api/admin/resellers/${r.reseller.id}/payouts`, { amountUsd: 3.51 }, admin);
    expect(tooMuch.status).toBe(409);
    expect(tooMuch.body.error.message).toContain('$3.50');

    // Two admins paying the whole balance at once: exactly one wins.
    const racing = await Promise.all([1, 2].map(() => t.api('POST', `/api/admin/resellers/${r.reseller.id}/payouts`, { amountUsd: 3.5 }, admin)));
    expect(racing.map((x) => x.status).sort()).toEqual([200, 409]);

    const me = await t.api('GET', '/api/reseller/me', undefined, r.auth);
    expect(me.body).toMatchObject({ earnedUsd: 6, paidUsd: 6, dueUsd: 0 });
    const list = await t.api('GET', '/api/reseller/payouts', undefined, r.auth);
    expect(list.body.payouts).toHaveLength(2);
    expect(list.body.payouts.map((p: any) => p.amountUsd).sort()).toEqual([2.5, 3.5]);
    expect(list.body.payouts.find((p: any) => p.amountUsd === 2.5)).toEqual({ amountUsd: 2.5, note: 'PayPal #1', createdAt: expect.any(String) });
    const logged = await t.ctx.db.select().from(activityLog).where(eq(activityLog.action, 'reseller.payout_recorded'));
    expect(logged.filter((l) => l.subjectId === r.reseller.id)).toHaveLength(2);
  });

  it('a new rate applies to later orders only; an inactive reseller attracts no new orders', async () => {
    await addStock(t.ctx, 2);
    const r = await newReseller({ commissionPercent: 10 });
    const first = await buy({ email: freshEmail('rate'), ref: r.reseller.referralCode });
    const patched = await t.api('PATCH', `/api/admin/resellers/${r.reseller.id}`, { commissionPercent: 50 }, admin);
    expect(patched.status).toBe(200);
    expect(patched.body.reseller).toMatchObject({ id: r.reseller.id, commissionPercent: 50, active: true, earnedUsd: 3 });
    await buy({ email: freshEmail('rate'), ref: r.reseller.referralCode });
    const booked = await t.ctx.db.select().from(commissions).where(eq(commissions.resellerId, r.reseller.id));
    expect(booked.map((c) => c.amountCents).sort((x, y) => x - y)).toEqual([300, 1500]);
    expect(booked.find((c) => c.orderId === first)!.amountCents).toBe(300);

    const off = await t.api('PATCH', `/api/admin/resellers/${r.reseller.id}`, { active: false }, admin);
    expect(off.body.reseller.active).toBe(false);
    const unattributed = await checkout(t, { email: freshEmail('late'), slug: 'bronze', currency: 'btc', ref: r.reseller.referralCode });
    expect(unattributed.status).toBe(201);
    const [o] = await t.ctx.db.select().from(orders).where(eq(orders.id, unattributed.body.orderId));
    expect(o!.resellerId).toBeNull();
    // Still able to log in and see the balance they are owed.
    expect((await t.api('GET', '/api/reseller/me', undefined, r.auth)).body).toMatchObject({ active: false, earnedUsd: 18, orders: 2 });
    const logged = await t.ctx.db.select().from(activityLog).where(eq(activityLog.subjectId, r.reseller.id));
    expect(logged.filter((l) => l.action === 'reseller.updated')).toHaveLength(2);
  });

  it('shows each reseller only their own customers, orders and payouts', async () => {
    await addStock(t.ctx, 2);
    const a = await newReseller({ commissionPercent: 10 });
    const b = await newReseller({ commissionPercent: 10 });
    const aBuyer = freshEmail('alpha');
    const bBuyer = freshEmail('bravo');
    await buy({ email: aBuyer, ref: a.reseller.referralCode });
    await buy({ email: bBuyer, ref: b.reseller.referralCode });
    await t.api('POST', `/api/admin/resellers/${a.reseller.id}/payouts`, { amountUsd: 1, note: 'only for A' }, admin);

    const view = async (r: typeof a) => ({
      customers: (await t.api('GET', '/api/reseller/customers', undefined, r.auth)).body.customers,
      orders: (await t.api('GET', '/api/reseller/orders', undefined, r.auth)).body.orders,
      payouts: (await t.api('GET', '/api/reseller/payouts', undefined, r.auth)).body.payouts,
    });
    const av = await view(a);
    const bv = await view(b);
    expect(av.customers.map((c: any) => c.email)).toEqual(['a***@example.com']);
    expect(bv.customers.map((c: any) => c.email)).toEqual(['b***@example.com']);
    expect(av.orders).toHaveLength(1);
    expect(bv.orders).toHaveLength(1);
    expect(av.orders[0].orderNumber).not.toBe(bv.orders[0].orderNumber);
    expect(av.payouts).toHaveLength(1);
    expect(bv.payouts).toEqual([]);

    // A's customer buying again through B's link: whoever the order is attributed to, each
    // reseller sees exactly the orders attributed to them and the customer's first referrer stays.
    await buy({ email: aBuyer, ref: b.reseller.referralCode });
    const [aCustomer] = await t.ctx.db.select().from(users).where(eq(users.email, aBuyer));
    expect(aCustomer!.referredBy).toBe(a.reseller.id);
    for (const r of [a, b]) {
      const inDb = await t.ctx.db.select({ n: orders.orderNumber }).from(orders).where(eq(orders.resellerId, r.reseller.id));
      const seen = (await view(r)).orders.map((o: any) => o.orderNumber);
      expect(seen.sort()).toEqual(inDb.map((o) => o.n).sort());
    }
    expect((await view(a)).orders.length + (await view(b)).orders.length).toBe(3);
  });

  it('a refund reverses the commission: due drops, may go negative (owed back), and payouts stop', async () => {
    await addStock(t.ctx, 2);
    const r = await newReseller({ commissionPercent: 50 });
    const first = await buy({ email: freshEmail('refund'), ref: r.reseller.referralCode });
    const second = await buy({ email: freshEmail('refund'), ref: r.reseller.referralCode });
    const me = async () => (await t.api('GET', `/api/reseller/me`, undefined, r.auth)).body;
    const adminRow = async () =>
      (await t.api('GET', '/api/admin/resellers?limit=200', undefined, admin)).body.resellers.find((x: any) => x.id === r.reseller.id);
    const refund = async (orderId: string) => {
      const [p] = await t.ctx.db.select().from(payments).where(eq(payments.orderId, orderId));
      const res = await applyPaymentStatus({ ctx: t.ctx, providerPaymentId: p!.providerPaymentId!, status: 'refunded', source: 'replay' });
      expect(res).toMatchObject({ verdict: 'applied', orderStatus: 'refunded' });
    };
    expect(await me()).toMatchObject({ earnedUsd: 30, paidUsd: 0, dueUsd: 30, orders: 2 });
    // A payout given as a string, like a plan price.
    const paid = await t.api('POST', `/api/admin/resellers/${r.reseller.id}/payouts`, { amountUsd: '5' }, admin);
    expect(paid.status, JSON.stringify(paid.body)).toBe(200);
    expect(paid.body).toMatchObject({ payout: { amountUsd: 5 }, dueUsd: 25 });

    await refund(first);
    expect(await me()).toMatchObject({ earnedUsd: 15, paidUsd: 5, dueUsd: 10, orders: 1 });
    expect(await adminRow()).toMatchObject({ earnedUsd: 15, paidUsd: 5, dueUsd: 10 });
    const [firstOrder] = await t.ctx.db.select().from(orders).where(eq(orders.id, first));
    const listed = (await t.api('GET', '/api/reseller/orders', undefined, r.auth)).body.orders;
    expect(listed.find((o: any) => o.orderNumber === firstOrder!.orderNumber)).toMatchObject({ status: 'refunded', commissionUsd: 0 });
    const reversed = await t.ctx.db.select().from(activityLog).where(eq(activityLog.action, 'reseller.commission_reversed'));
    expect(reversed.filter((l) => l.subjectId === r.reseller.id).map((l) => (l.details as any).amountCents)).toEqual([1500]);
    const over = await t.api('POST', `/api/admin/resellers/${r.reseller.id}/payouts`, { amountUsd: 10.01 }, admin);
    expect(over.status).toBe(409);
    expect(over.body.error.message).toContain('$10.00');
    expect((await t.api('POST', `/api/admin/resellers/${r.reseller.id}/payouts`, { amountUsd: 10 }, admin)).status).toBe(200);

    // Paid out in full, then refunded: the reseller owes the commission back and nothing more is paid.
    await refund(second);
    expect(await me()).toMatchObject({ earnedUsd: 0, paidUsd: 15, dueUsd: -15, orders: 0 });
    expect(await adminRow()).toMatchObject({ dueUsd: -15 });
    const before = await counts();
    const blocked = await t.api('POST', `/api/admin/resellers/${r.reseller.id}/payouts`, { amountUsd: 0.01 }, admin);
    expect(blocked.status).toBe(409);
    expect(blocked.body.error.message).toMatch(/owes back \$15\.00/);
    expect(await counts()).toEqual(before);
    // The ledger itself is untouched: the commission rows stay as booked.
    const booked = await t.ctx.db.select().from(commissions).where(eq(commissions.resellerId, r.reseller.id));
    expect(booked.map((c) => c.amountCents)).toEqual([1500, 1500]);
  });

  it("pages the admin reseller list and a reseller's customers and orders with a total", async () => {
    await addStock(t.ctx, 3);
    const r = await newReseller({ commissionPercent: 10 });
    for (const tag of ['page1', 'page2', 'page3']) await buy({ email: freshEmail(tag), ref: r.reseller.referralCode });
    for (const [path, key] of [
      ['/api/reseller/orders', 'orders'],
      ['/api/reseller/customers', 'customers'],
    ] as const) {
      const all = await t.api('GET', path, undefined, r.auth);
      expect(all.status).toBe(200);
      expect(all.body.total).toBe(3);
      expect(all.body[key]).toHaveLength(3);
      const p1 = await t.api('GET', `${path}?limit=2`, undefined, r.auth);
      const p2 = await t.api('GET', `${path}?limit=2&offset=2`, undefined, r.auth);
      expect(p1.body[key]).toHaveLength(2);
      expect(p2.body[key]).toHaveLength(1);
      expect(p2.body.total).toBe(3);
      expect([...p1.body[key], ...p2.body[key]]).toEqual(all.body[key]);
      for (const bad of ['limit=0', 'limit=201', 'offset=-1', 'limit=abc']) {
        const res = await t.api('GET', `${path}?${bad}`, undefined, r.auth);
        expect(res.status, `${path}?${bad}`).toBe(400);
        expect(res.body.error.message.length).toBeGreaterThan(3);
      }
    }
    const [n] = await t.ctx.db.select({ n: count() }).from(resellers);
    const page = await t.api('GET', '/api/admin/resellers?limit=1&offset=1', undefined, admin);
    expect(page.status).toBe(200);
    expect(page.body.total).toBe(n!.n);
    expect(page.body.resellers).toHaveLength(1);
    const firstTwo = await t.api('GET', '/api/admin/resellers?limit=2', undefined, admin);
    expect(page.body.resellers[0].id).toBe(firstTwo.body.resellers[1].id);
    expect((await t.api('GET', '/api/admin/resellers?limit=0', undefined, admin)).status).toBe(400);
  });
});

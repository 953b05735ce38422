// The checkout transaction's refusals and attribution, which a new customer's one statement
// (place-order.ts) and a returning customer's path must both keep: staff and suspended
// accounts never buy, a returning customer gets a referrer only when they had none, a
// refused checkout leaves no customer behind.
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshEmail } from '../../../test/factories/ids.js';
import { checkout } from '../../../test/factories/orders.js';
import { sandboxSenders } from '../../../test/factories/stock.js';
import { type FakeNowPayments, startFakeNowPayments } from '../../../test/fakes/nowpayments.js';
import { startTestApp, type TestApp } from '../../../test/helpers/test-app.js';
import { orders, resellers, senders, users } from '../../db/schema.js';

describe('checkout: who may buy, and who brought them', () => {
  let np: FakeNowPayments;
  let t: TestApp;
  beforeAll(async () => {
    np = await startFakeNowPayments();
    t = await startTestApp({ worker: false, env: { ...np.env(), RATE_LIMIT_CHECKOUT_PER_MINUTE: '100', NOWPAYMENTS_PAYOUT_CURRENCY: 'usdttrc20' } });
    await sandboxSenders(t, 20);
  });
  afterAll(async () => {
    await t?.close();
    await np?.close();
  });

  const counts = async () => {
    const [o] = await t.ctx.db.select({ n: sql<number>`count(*)::int` }).from(orders);
    const [u] = await t.ctx.db.select({ n: sql<number>`count(*)::int` }).from(users);
    const [r] = await t.ctx.db.select({ n: sql<number>`count(*)::int` }).from(senders).where(eq(senders.state, 'reserved'));
    return { orders: o!.n, users: u!.n, reserved: r!.n };
  };
  const userOf = async (email: string) => (await t.ctx.db.select().from(users).where(eq(users.email, email)))[0]!;
  const newReseller = async (code: string) => {
    const [owner] = await t.ctx.db
      .insert(users)
      .values({ email: freshEmail('reseller'), role: 'reseller' })
      .returning({ id: users.id });
    const [row] = await t.ctx.db.insert(resellers).values({ userId: owner!.id, referralCode: code, commissionBps: 1000 }).returning({ id: resellers.id });
    return row!.id;
  };

  it('refuses a staff email with 409 and a suspended customer with 403, writing nothing', async () => {
    const staff = freshEmail('staff');
    await t.ctx.db.insert(users).values({ email: staff, role: 'admin' });
    const banned = freshEmail('banned');
    await t.ctx.db.insert(users).values({ email: banned, banned: true });
    const before = await counts();

    const asStaff = await checkout(t, { email: staff.toUpperCase(), slug: 'bronze', currency: 'btc' });
    expect(asStaff.status).toBe(409);
    expect(asStaff.body.error).toMatchObject({ code: 'conflict', message: expect.stringMatching(/staff account/) });
    const asBanned = await checkout(t, { email: banned, slug: 'bronze', currency: 'btc' });
    expect(asBanned.status).toBe(403);
    expect(asBanned.body.error).toMatchObject({ code: 'forbidden', message: expect.stringMatching(/suspended/) });
    expect(await counts()).toEqual(before);
  });

  it('a new customer comes with the referral code; a returning one gets it only when they had none, and keeps it', async () => {
    const first = await newReseller(`FirstRef${Date.now()}`);
    const second = await newReseller(`SecondRef${Date.now()}`);
    const email = freshEmail('attributed');
    const a = await checkout(t, { email, slug: 'bronze', currency: 'btc' });
    expect(a.status).toBe(201);
    expect((await userOf(email)).referredBy).toBeNull();

    // A resumed checkout only answers again: it attributes nothing.
    const resumed = await checkout(t, { email, slug: 'bronze', currency: 'btc', ref: (await codeOf(first)).toLowerCase() });
    expect(resumed.status).toBe(200);
    expect((await userOf(email)).referredBy).toBeNull();

    const b = await checkout(t, { email, slug: 'bronze', currency: 'eth', ref: await codeOf(first) });
    expect(b.status).toBe(201);
    expect((await userOf(email)).referredBy).toBe(first);
    const c = await checkout(t, { email, slug: 'bronze', currency: 'ltc', ref: await codeOf(second) });
    expect(c.status).toBe(201);
    expect((await userOf(email)).referredBy).toBe(first);
    const sold = await t.ctx.db
      .select({ id: orders.id, resellerId: orders.resellerId })
      .from(orders)
      .where(eq(orders.userId, (await userOf(email)).id));
    const resellerOf = (id: string) => sold.find((o) => o.id === id)?.resellerId;
    expect([resellerOf(a.body.orderId), resellerOf(b.body.orderId), resellerOf(c.body.orderId)]).toEqual([null, first, first]);

    const fresh = freshEmail('referred');
    const d = await checkout(t, { email: fresh, slug: 'bronze', currency: 'btc', ref: ` ${(await codeOf(second)).toUpperCase()} ` });
    expect(d.status).toBe(201);
    expect((await userOf(fresh)).referredBy).toBe(second);
    expect((await t.ctx.db.select().from(orders).where(eq(orders.id, d.body.orderId)))[0]!.resellerId).toBe(second);
  });

  it('a checkout under the coin minimum creates no customer', async () => {
    np.setMinimumUsd('sol', 1000);
    const before = await counts();
    const email = freshEmail('under-minimum');
    const res = await checkout(t, { email, slug: 'bronze', currency: 'sol' });
    expect(res.status).toBe(422);
    expect(await counts()).toEqual(before);
  });

  const codeOf = async (resellerId: string) =>
    (await t.ctx.db.select({ code: resellers.referralCode }).from(resellers).where(eq(resellers.id, resellerId)))[0]!.code;
});

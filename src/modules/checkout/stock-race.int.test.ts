import { eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshEmail } from '../../../test/factories/ids.js';
import { checkout } from '../../../test/factories/orders.js';
import { sandboxSenders } from '../../../test/factories/stock.js';
import { type FakeNowPayments, startFakeNowPayments } from '../../../test/fakes/nowpayments.js';
import { startTestApp, type TestApp } from '../../../test/helpers/test-app.js';
import { orders, payments, senders } from '../../db/schema.js';
import { reconcilePayments } from '../payments/reconcile-payments.js';

describe('stock reservation under a checkout stampede', () => {
  let np: FakeNowPayments;
  let t: TestApp;
  beforeAll(async () => {
    np = await startFakeNowPayments();
    t = await startTestApp({ worker: false, env: { ...np.env(), RATE_LIMIT_CHECKOUT_PER_MINUTE: '100000' } });
    // Exactly ten senders for sale, whatever start-up seeded.
    await t.ctx.db.update(senders).set({ state: 'banned' }).where(eq(senders.state, 'unused'));
    await sandboxSenders(t, 10);
  });
  afterAll(async () => {
    await t?.close();
    await np?.close();
  });

  it('200 concurrent checkouts for stock of 10 reserve exactly 10; expiry releases them all', async () => {
    const results = await Promise.all(Array.from({ length: 200 }, (_, i) => checkout(t, { email: freshEmail(`rush${i}`), slug: 'bronze', currency: 'btc' })));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(10);
    expect(statuses.filter((s) => s === 409)).toHaveLength(190);
    for (const r of results.filter((x) => x.status === 409)) expect(r.body.error.code).toBe('out_of_stock');

    const reserved = await t.ctx.db.select().from(senders).where(eq(senders.state, 'reserved'));
    expect(reserved).toHaveLength(10);
    const winners = results.filter((r) => r.status === 201).map((r) => r.body.orderId as string);
    expect(new Set(reserved.map((s) => s.orderId))).toEqual(new Set(winners));
    expect(await t.ctx.db.select().from(orders)).toHaveLength(10);
    expect(np.requests.filter((r) => r.path === '/payment')).toHaveLength(10);

    // The invoices lapse unpaid: reconciliation expires them and the stock returns.
    await t.ctx.db
      .update(payments)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(inArray(payments.orderId, winners));
    const result = await reconcilePayments({ ctx: t.ctx, minIntervalMs: 0 });
    expect(result.expired).toBe(10);
    expect(await t.ctx.db.select().from(senders).where(eq(senders.state, 'reserved'))).toHaveLength(0);
    expect(await t.ctx.db.select().from(senders).where(eq(senders.state, 'unused'))).toHaveLength(10);
    const after = await t.ctx.db.select().from(orders).where(inArray(orders.id, winners));
    expect(after.every((o) => o.status === 'expired')).toBe(true);

    // And the stock is for sale again.
    const again = await checkout(t, { email: freshEmail('after'), slug: 'bronze', currency: 'btc' });
    expect(again.status).toBe(201);
  });
});

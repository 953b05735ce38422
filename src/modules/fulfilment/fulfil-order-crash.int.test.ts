// Fulfilment converges on exactly one provisioning: duplicated jobs, and a worker that dies
// half-way through (after the senders were assigned, before the order is marked fulfilled).
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { adbotOf, createPaidOrder, emailsTo } from '../../../test/factories/orders.js';
import { setStock } from '../../../test/factories/stock.js';
import { startTestApp, type TestApp } from '../../../test/helpers/test-app.js';
import { adbots, licenseKeys, notifications, orders, senders } from '../../db/schema.js';
import { fulfilOrder } from './fulfil-order.js';

// The crash is injected at the module boundary fulfilment crosses right after it assigns the
// senders: the real assignSenders runs, then the "worker" dies inside the same transaction.
const crash = vi.hoisted(() => ({ armed: false }));
vi.mock('../stock/assign-senders.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../stock/assign-senders.js')>();
  return {
    ...real,
    assignSenders: async (...args: Parameters<typeof real.assignSenders>) => {
      const result = await real.assignSenders(...args);
      if (crash.armed) {
        crash.armed = false;
        throw new Error('worker killed');
      }
      return result;
    },
  };
});

describe('fulfilment survives duplicates and crashes', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t?.close());

  it('the fulfil-order job provisions a paid order, and a duplicate run provisions once', async () => {
    await setStock(t.ctx, 4);
    // Written directly: the test queues the jobs itself, twice, and races them with two direct runs.
    const o = await createPaidOrder(t.ctx, { email: 'dup@example.com', plan: 'silver' });
    await t.ctx.jobs.send('fulfil-order', { orderId: o.orderId });
    await t.ctx.jobs.send('fulfil-order', { orderId: o.orderId });
    const results = await Promise.all([fulfilOrder({ ctx: t.ctx, orderId: o.orderId }), fulfilOrder({ ctx: t.ctx, orderId: o.orderId })]);
    expect(results.filter((r) => r === 'fulfilled').length).toBeLessThanOrEqual(1);
    await vi.waitFor(
      async () => {
        const [order] = await t.ctx.db.select().from(orders).where(eq(orders.id, o.orderId));
        expect(order!.status).toBe('fulfilled');
      },
      { timeout: 10_000, interval: 100 },
    );
    // Let both queued jobs finish before counting.
    await vi.waitFor(
      async () => {
        const { rows } = await t.ctx.database.executor.executeSql(
          `select count(*)::int as n from pgboss.job where name = 'fulfil-order' and data->>'orderId' = $1 and state in ('created','retry','active')`,
          [o.orderId],
        );
        expect(rows[0]!.n).toBe(0);
      },
      { timeout: 10_000, interval: 100 },
    );
    expect(await fulfilOrder({ ctx: t.ctx, orderId: o.orderId })).toBe('already_fulfilled');
    const bots = await t.ctx.db.select().from(adbots).where(eq(adbots.userId, o.userId));
    expect(bots).toHaveLength(1);
    expect(await t.ctx.db.select().from(senders).where(eq(senders.adbotId, bots[0]!.id))).toHaveLength(2);
    expect(await emailsTo(t.ctx, 'dup@example.com')).toHaveLength(1);
    expect(await t.ctx.db.select().from(notifications).where(eq(notifications.userId, o.userId))).toHaveLength(1);
    expect(await t.ctx.db.select().from(licenseKeys).where(eq(licenseKeys.orderId, o.orderId))).toHaveLength(1);
  });

  it('a worker killed after the senders were assigned leaves nothing half-done, and the rerun provisions exactly once', async () => {
    await setStock(t.ctx, 3);
    // Written directly: no fulfil-order job may run before the crashing one.
    const o = await createPaidOrder(t.ctx, { email: 'crash@example.com', plan: 'silver' });
    crash.armed = true;
    await expect(fulfilOrder({ ctx: t.ctx, orderId: o.orderId })).rejects.toThrow('worker killed');
    expect(crash.armed).toBe(false); // it crashed where the senders were assigned, not before
    expect((await adbotOf(t.ctx, o.userId)).bot).toBeUndefined();
    const [order] = await t.ctx.db.select().from(orders).where(eq(orders.id, o.orderId));
    expect(order!.status).toBe('paid');
    expect(
      await t.ctx.db
        .select()
        .from(senders)
        .where(and(eq(senders.orderId, o.orderId), eq(senders.state, 'reserved'))),
    ).toHaveLength(2);
    expect(await emailsTo(t.ctx, 'crash@example.com')).toHaveLength(0);

    expect(await fulfilOrder({ ctx: t.ctx, orderId: o.orderId })).toBe('fulfilled');
    expect(await fulfilOrder({ ctx: t.ctx, orderId: o.orderId })).toBe('already_fulfilled');
    const bots = await t.ctx.db.select().from(adbots).where(eq(adbots.userId, o.userId));
    expect(bots).toHaveLength(1);
    const held = await t.ctx.db.select().from(senders).where(eq(senders.adbotId, bots[0]!.id));
    expect(held).toHaveLength(2);
    expect(await emailsTo(t.ctx, 'crash@example.com')).toHaveLength(1);
    // Both customers' emails filed before the app closes: no send-email job in flight at teardown.
    for (const to of ['dup@example.com', 'crash@example.com']) {
      await vi.waitFor(async () => expect((await emailsTo(t.ctx, to))[0]?.status).toBe('outbox'), { timeout: 10_000, interval: 100 });
    }
  });
});

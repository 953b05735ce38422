// Issue 7.4: the fulfilment watchdog re-enqueues paid orders whose fulfil-order job got lost,
// and alerts the admins once; fresh payments and back-orders are left alone.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createPaidOrder } from '../../../test/factories/orders.js';
import { setStock } from '../../../test/factories/stock.js';
import { startTestApp, type TestApp } from '../../../test/helpers/test-app.js';
import { notifications, orders } from '../../db/schema.js';
import { watchFulfilments } from './watch-fulfilments.js';

describe('fulfilment watchdog', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t?.close());

  const statusOf = async (id: string) => (await t.ctx.db.select().from(orders).where(eq(orders.id, id)))[0]!.status;

  it('re-enqueues a paid order unfulfilled after 2 minutes, alerts the admins once, and leaves fresh and back-ordered ones', async () => {
    await setStock(t.ctx, 3);
    const now = new Date();
    // No fulfil-order job exists for these: as if the job was lost with its worker.
    const lost = await createPaidOrder(t.ctx, { email: 'lost@example.com', plan: 'bronze', paidAt: new Date(now.getTime() - 150_000) });
    const fresh = await createPaidOrder(t.ctx, { email: 'fresh@example.com', plan: 'bronze', paidAt: new Date(now.getTime() - 30_000) });
    const waiting = await createPaidOrder(t.ctx, { email: 'waiting@example.com', plan: 'bronze', paidAt: new Date(now.getTime() - 600_000) });
    await t.ctx.db.update(orders).set({ backordered: true }).where(eq(orders.id, waiting.orderId));

    expect(await watchFulfilments({ ctx: t.ctx, now })).toEqual({ requeued: 1 });
    await vi.waitFor(async () => expect(await statusOf(lost.orderId)).toBe('fulfilled'), { timeout: 15_000, interval: 100 });
    expect(await statusOf(fresh.orderId)).toBe('paid');
    expect(await statusOf(waiting.orderId)).toBe('paid');

    const alerts = await t.ctx.db.select().from(notifications).where(eq(notifications.kind, 'order_stuck'));
    expect(alerts).toHaveLength(1); // one admin, one alert
    expect(alerts[0]!.body).toMatch(/was paid \d+ s ago and is not fulfilled/);
    // Another run (another worker's cron) adds no second alert.
    await watchFulfilments({ ctx: t.ctx, now: new Date(now.getTime() + 60_000) });
    expect(await t.ctx.db.select().from(notifications).where(eq(notifications.kind, 'order_stuck'))).toHaveLength(1);
  });
});

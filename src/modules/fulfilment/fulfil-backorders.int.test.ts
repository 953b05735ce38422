// Paid orders waiting for stock are fulfilled when it arrives or a reservation is released.
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adbotOf, createPaidOrder, waitForOrderStatus } from '../../../test/factories/orders.js';
import { addStock, setStock } from '../../../test/factories/stock.js';
import { startTestApp, type TestApp } from '../../../test/helpers/test-app.js';
import { activityLog, notifications, orders, payments, users } from '../../db/schema.js';
import { applyPaymentStatus } from '../payments/apply-payment-status.js';
import { addSenders } from '../stock/add-senders.js';
import { reserveSenders } from '../stock/reserve-senders.js';
import { fulfilBackorders } from './fulfil-backorders.js';
import { fulfilOrder } from './fulfil-order.js';

describe('back-ordered orders', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t?.close());

  it('a paid order with no stock is back-ordered, admins are alerted, and it is fulfilled when stock arrives', async () => {
    await setStock(t.ctx, 0);
    const o = await createPaidOrder(t.ctx, { email: 'late@example.com', plan: 'silver', reserve: false });
    expect(await fulfilOrder({ ctx: t.ctx, orderId: o.orderId })).toBe('backordered');
    expect(await fulfilOrder({ ctx: t.ctx, orderId: o.orderId })).toBe('backordered');
    const [order] = await t.ctx.db.select().from(orders).where(eq(orders.id, o.orderId));
    expect(order).toMatchObject({ status: 'paid', backordered: true });
    expect((await adbotOf(t.ctx, o.userId)).bot).toBeUndefined();
    const admins = await t.ctx.db.select().from(users).where(eq(users.role, 'admin'));
    expect(admins.length).toBeGreaterThan(0);
    for (const admin of admins) {
      const alerts = await t.ctx.db.select().from(notifications).where(eq(notifications.userId, admin.id));
      expect(alerts.filter((n) => n.dedupeKey === `order:${o.orderId}:backordered`)).toHaveLength(1);
    }
    expect(
      await t.ctx.db
        .select()
        .from(activityLog)
        .where(and(eq(activityLog.action, 'order.backordered'), eq(activityLog.subjectId, o.orderId))),
    ).toHaveLength(1);

    // One sender is not enough: the order holds it and waits.
    await addStock(t.ctx, 1);
    expect(await fulfilBackorders({ ctx: t.ctx })).toEqual({ fulfilled: 0, waiting: 1 });
    // Stock arrives through the admin path, which enqueues fulfil-backorders.
    const added = await addSenders({ ctx: t.ctx, tokens: ['sandbox:c_backorder_arrival'] });
    expect(added.added.length).toBe(1);
    await waitForOrderStatus(t.ctx, o.orderId, 'fulfilled', 15_000);
    const { bot, senders: held } = await adbotOf(t.ctx, o.userId);
    expect(bot!.senderCount).toBe(2);
    expect(held).toHaveLength(2);
    const [done] = await t.ctx.db.select().from(orders).where(eq(orders.id, o.orderId));
    expect(done!.backordered).toBe(false);
  });

  it('a back-ordered order is fulfilled as soon as a reservation is released, with no admin action', async () => {
    await setStock(t.ctx, 2);
    // Someone else's unpaid checkout holds the last two senders.
    const holder = await createPaidOrder(t.ctx, { email: 'holder@example.com', plan: 'silver' });
    await t.ctx.db.update(orders).set({ status: 'pending', paidAt: null }).where(eq(orders.id, holder.orderId));
    const providerPaymentId = `test-${holder.orderId}`;
    await t.ctx.db
      .insert(payments)
      .values({ orderId: holder.orderId, provider: 'sandbox', status: 'waiting', payCurrency: 'btc', priceCents: 5500, providerPaymentId });

    const waiting = await createPaidOrder(t.ctx, { email: 'waiting@example.com', plan: 'silver', reserve: false });
    expect(await fulfilOrder({ ctx: t.ctx, orderId: waiting.orderId })).toBe('backordered');

    // New checkouts cannot take the senders the paid order is waiting for.
    const buyer = await createPaidOrder(t.ctx, { email: 'newbuyer@example.com', plan: 'bronze', reserve: false });
    await addStock(t.ctx, 2);
    await expect(t.ctx.db.transaction((tx) => reserveSenders({ tx, orderId: buyer.orderId, count: 1 }))).rejects.toMatchObject({ code: 'out_of_stock' });
    await addStock(t.ctx, 1);
    await t.ctx.db.transaction((tx) => reserveSenders({ tx, orderId: buyer.orderId, count: 1 }));
    await setStock(t.ctx, 0);

    // The holder's invoice expires: its senders go back to stock and the paid order takes them.
    expect((await applyPaymentStatus({ ctx: t.ctx, providerPaymentId, status: 'expired', source: 'poll' })).verdict).toBe('applied');
    await waitForOrderStatus(t.ctx, waiting.orderId, 'fulfilled', 15_000);
    expect((await adbotOf(t.ctx, waiting.userId)).senders).toHaveLength(2);
  });
});

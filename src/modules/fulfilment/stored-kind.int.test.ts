// The purchase kind is decided once, at checkout, and stored on the order: fulfilment, its
// notification and its email say what was stored, never a rule of their own.
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adbotOf, createPaidOrder, emailsTo } from '../../../test/factories/orders.js';
import { setStock } from '../../../test/factories/stock.js';
import { startTestApp, type TestApp } from '../../../test/helpers/test-app.js';
import { activityLog, notifications, orders } from '../../db/schema.js';
import { fulfilOrder } from './fulfil-order.js';
import { runExpiry } from './run-expiry.js';

const DAY = 86_400_000;

describe('fulfilment uses the kind stored on the order', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t?.close());

  it('a plan whose senders went back to stock is bought again as new, and fulfilled and emailed as new (not "renewed")', async () => {
    await setStock(t.ctx, 3);
    const email = 'came-back@example.com';
    const first = await createPaidOrder(t.ctx, { email, plan: 'bronze' });
    expect(await fulfilOrder({ ctx: t.ctx, orderId: first.orderId })).toBe('fulfilled');
    const { bot } = await adbotOf(t.ctx, first.userId);
    // Past expiry and the grace period: the senders go back to stock, the adbot row stays.
    await runExpiry({ ctx: t.ctx, now: new Date(bot!.expiresAt.getTime() + (t.ctx.config.expiryGraceDays + 1) * DAY) });
    expect((await adbotOf(t.ctx, first.userId)).bot!.sendersReleasedAt).toBeTruthy();

    // The same plan again: checkout calls this a new purchase (fresh senders from stock).
    const again = await createPaidOrder(t.ctx, { email, plan: 'bronze' });
    const [stored] = await t.ctx.db.select().from(orders).where(eq(orders.id, again.orderId));
    expect(stored!.kind).toBe('new');
    expect(await fulfilOrder({ ctx: t.ctx, orderId: again.orderId })).toBe('fulfilled');

    const [note] = await t.ctx.db
      .select()
      .from(notifications)
      .where(eq(notifications.dedupeKey, `order:${again.orderId}:fulfilled`));
    expect(note!.kind).toBe('order_new');
    const mail = (await emailsTo(t.ctx, email)).find((m) => m.dedupeKey === `order:${again.orderId}:fulfilled`);
    expect(mail!.subject).not.toMatch(/renewed/i);
    expect(mail!.bodyText).toContain('Your HQAdz adbot is ready.');
    const [logged] = await t.ctx.db
      .select()
      .from(activityLog)
      .where(and(eq(activityLog.action, 'order.fulfilled'), eq(activityLog.subjectId, again.orderId)));
    expect(logged!.details).toMatchObject({ kind: 'new' });
  });
});

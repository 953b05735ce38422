import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adbotOf, createPaidOrder } from '../../../test/factories/orders.js';
import { addStock, setStock } from '../../../test/factories/stock.js';
import { startTestApp, type TestApp } from '../../../test/helpers/test-app.js';
import { orders, senders } from '../../db/schema.js';
import { countAvailableSenders } from '../stock/count-available-senders.js';
import { fulfilBackorders } from './fulfil-backorders.js';
import { fulfilOrder } from './fulfil-order.js';

describe('fulfilment takes only stock that is really free', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t?.close());

  it('does not hand a late-paid order a sender still in a flood wait', async () => {
    await setStock(t.ctx, 0);
    const [id] = await addStock(t.ctx, 1);
    // As releaseAdbotSenders leaves a sender released during a 429 wait: unused, frozen_until kept.
    await t.ctx.db
      .update(senders)
      .set({ frozenUntil: new Date(Date.now() + 3600_000) })
      .where(eq(senders.id, id!));
    expect(await countAvailableSenders({ db: t.ctx.db })).toBe(0); // checkout would say sold out
    const late = await createPaidOrder(t.ctx, { email: 'r4-late@example.com', plan: 'bronze', reserve: false });
    const result = await fulfilOrder({ ctx: t.ctx, orderId: late.orderId });
    expect(result).toBe('backordered');
    const { senders: held } = await adbotOf(t.ctx, late.userId);
    expect(held).toHaveLength(0);
  });

  it('does not let a late payment jump ahead of an older paid back-order', async () => {
    await setStock(t.ctx, 0);
    const older = await createPaidOrder(t.ctx, { email: 'r4-older@example.com', plan: 'bronze', reserve: false, paidAt: new Date(Date.now() - 3600_000) });
    expect(await fulfilOrder({ ctx: t.ctx, orderId: older.orderId })).toBe('backordered');
    await addStock(t.ctx, 1); // stock arrives; the fulfil-order job of a late IPN happens to run before fulfil-backorders
    const late = await createPaidOrder(t.ctx, { email: 'r4-late2@example.com', plan: 'bronze', reserve: false });
    expect(await fulfilOrder({ ctx: t.ctx, orderId: late.orderId })).toBe('backordered');
    await fulfilBackorders({ ctx: t.ctx });
    const [o] = await t.ctx.db.select().from(orders).where(eq(orders.id, older.orderId));
    expect(o!.status).toBe('fulfilled');
  });
});

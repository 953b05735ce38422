// Coin amounts are exact decimals in the database (numeric), so SQL compares them as numbers:
// as text, '10.5' sorts before '9.75' and an overpayment would look short.
import { and, eq, gt, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { paidOrder } from '../../../test/factories/orders.js';
import { sandboxSenders } from '../../../test/factories/stock.js';
import { startTestApp, type TestApp } from '../../../test/helpers/test-app.js';
import { payments } from '../../db/schema.js';

describe('coin amount columns', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ worker: false });
    await sandboxSenders(t, 2);
  });
  afterAll(async () => t?.close());

  it('compare as numbers and keep every digit they were given', async () => {
    const { orderId } = await paidOrder(t, { plan: 'bronze' });
    await t.ctx.db.update(payments).set({ payAmount: '9.75', actuallyPaid: '10.5' }).where(eq(payments.orderId, orderId));
    const over = await t.ctx.db
      .select({ id: payments.id })
      .from(payments)
      .where(and(eq(payments.orderId, orderId), gt(payments.actuallyPaid, payments.payAmount)));
    expect(over).toHaveLength(1);

    const precise = '0.000000012345678901234567';
    await t.ctx.db.update(payments).set({ actuallyPaid: precise }).where(eq(payments.orderId, orderId));
    const [row] = await t.ctx.db
      .select({ actuallyPaid: payments.actuallyPaid, type: sql<string>`pg_typeof(${payments.actuallyPaid})::text` })
      .from(payments)
      .where(eq(payments.orderId, orderId));
    expect(row).toEqual({ actuallyPaid: precise, type: 'numeric' });
  });
});

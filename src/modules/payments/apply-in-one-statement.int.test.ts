// The one-statement path writes a decision made without a lock: it must write nothing when the
// payment or its order changed after the read (before the statement, or while it waited for the
// lock), and the locked path must then apply the status as if the fast path never ran.
import { and, eq, sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshEmail } from '../../../test/factories/ids.js';
import { checkout, loadOrder } from '../../../test/factories/orders.js';
import { sandboxSenders } from '../../../test/factories/stock.js';
import { type FakeNowPayments, startFakeNowPayments } from '../../../test/fakes/nowpayments.js';
import { startTestApp, type TestApp } from '../../../test/helpers/test-app.js';
import { activityLog, paymentEvents, payments } from '../../db/schema.js';
import { writeInOneStatement } from './apply-in-one-statement.js';
import { applyPaymentStatus, readWithoutLock } from './apply-payment-status.js';
import { touchPaymentChecked } from './payment-records.js';

describe('apply in one statement: the unlocked read must still hold', () => {
  let np: FakeNowPayments;
  let t: TestApp;
  beforeAll(async () => {
    np = await startFakeNowPayments();
    // No worker: the queued fulfil-order jobs stay where the statement put them.
    t = await startTestApp({ worker: false, env: { ...np.env(), RATE_LIMIT_CHECKOUT_PER_MINUTE: '1000' } });
    await sandboxSenders(t, 10);
  });
  afterAll(async () => {
    await t?.close();
    await np?.close();
  });

  /** An invoice the buyer is paying (confirming), and the unlocked read a `finished` IPN would make. */
  async function confirmingInvoice() {
    const res = await checkout(t, { email: freshEmail('one-statement'), slug: 'bronze', currency: 'ltc' });
    expect(res.status).toBe(201);
    const { orderId, paymentId, payAmount } = res.body as { orderId: string; paymentId: string; payAmount: string };
    expect(await np.setStatus(paymentId, 'confirming')).toBe(200);
    const opts = { ctx: t.ctx, providerPaymentId: String(paymentId), status: 'finished' as const, actuallyPaid: payAmount, source: 'ipn' as const };
    const read = await readWithoutLock(opts);
    expect(read).toMatchObject({ hasSiblings: false, payment: { status: 'confirming' }, order: { status: 'pending' } });
    return { orderId, paymentId: String(paymentId), payAmount, opts, read: read! };
  }

  /** The write of `finished` paying the order, from `read`. */
  function writeFinished(read: NonNullable<Awaited<ReturnType<typeof readWithoutLock>>>, payAmount: string) {
    return writeInOneStatement({
      ctx: t.ctx,
      read,
      set: { status: 'finished', actuallyPaid: payAmount, payAmount, updatedAt: new Date() },
      event: {
        source: 'ipn',
        providerPaymentId: read.payment.providerPaymentId,
        orderId: read.order.id,
        status: 'finished',
        signatureValid: true,
        verdict: 'applied',
        rawBody: '{}',
      },
      activity: { actorRole: 'provider', action: 'payment.finished', details: {} },
      paid: true,
    });
  }

  /** Nothing of the write landed: statuses as before, no audit or activity row, no job. */
  async function nothingWritten(orderId: string, paymentId: string) {
    const { order } = await loadOrder(t.ctx, orderId);
    expect(order.status).toBe('pending');
    const [payment] = await t.ctx.db.select().from(payments).where(eq(payments.providerPaymentId, paymentId));
    expect(payment!.status).toBe('confirming');
    const events = await t.ctx.db
      .select()
      .from(paymentEvents)
      .where(and(eq(paymentEvents.orderId, orderId), eq(paymentEvents.status, 'finished')));
    expect(events).toHaveLength(0);
    const activity = await t.ctx.db
      .select()
      .from(activityLog)
      .where(and(eq(activityLog.subjectId, orderId), eq(activityLog.action, 'payment.finished')));
    expect(activity).toHaveLength(0);
    expect(await jobsFor(orderId)).toBe(0);
  }

  async function jobsFor(orderId: string): Promise<number> {
    const res = (await t.ctx.db.execute(
      sql`select count(*)::int as n from pgboss.job where name = 'fulfil-order' and data->>'orderId' = ${orderId}`,
    )) as unknown as {
      rows: { n: number }[];
    };
    return Number(res.rows[0]!.n);
  }

  it('writes the payment, its order, the receipt and fulfil-order when the read holds', async () => {
    const o = await confirmingInvoice();
    expect(await writeFinished(o.read, o.payAmount)).toMatchObject({ written: true, eventId: expect.any(String) });
    expect((await loadOrder(t.ctx, o.orderId)).order.status).toBe('paid');
    expect(await jobsFor(o.orderId)).toBe(1);
    // A second write from the same (now stale) read writes nothing more.
    expect(await writeFinished(o.read, o.payAmount)).toEqual({ written: false });
    expect(await jobsFor(o.orderId)).toBe(1);
  });

  it('writes nothing when the payment row changed after the read (a poll touched it), and the locked path then applies', async () => {
    const o = await confirmingInvoice();
    await touchPaymentChecked(t.ctx.db, o.read.payment.id);
    expect(await writeFinished(o.read, o.payAmount)).toEqual({ written: false });
    await nothingWritten(o.orderId, o.paymentId);
    expect(await applyPaymentStatus(o.opts)).toMatchObject({ verdict: 'applied', orderStatus: 'paid' });
    expect(await jobsFor(o.orderId)).toBe(1);
  });

  it('in one batch, an item whose read no longer holds writes nothing while the other lands', async () => {
    const fresh = await confirmingInvoice();
    const stale = await confirmingInvoice();
    await touchPaymentChecked(t.ctx.db, stale.read.payment.id);
    // Asked in one turn: one statement, each item behind its own guard.
    const [a, b] = await Promise.all([writeFinished(fresh.read, fresh.payAmount), writeFinished(stale.read, stale.payAmount)]);
    expect(a).toMatchObject({ written: true, eventId: expect.any(String) });
    expect(b).toEqual({ written: false });
    expect((await loadOrder(t.ctx, fresh.orderId)).order.status).toBe('paid');
    expect(await jobsFor(fresh.orderId)).toBe(1);
    await nothingWritten(stale.orderId, stale.paymentId);
  });

  it('of two writes of one payment in one batch (the same IPN twice at once), one lands and the other writes nothing', async () => {
    const o = await confirmingInvoice();
    const answers = await Promise.all([writeFinished(o.read, o.payAmount), writeFinished(o.read, o.payAmount)]);
    expect(answers.filter((a) => a.written)).toHaveLength(1);
    expect(await jobsFor(o.orderId)).toBe(1);
    const events = await t.ctx.db
      .select()
      .from(paymentEvents)
      .where(and(eq(paymentEvents.orderId, o.orderId), eq(paymentEvents.status, 'finished')));
    expect(events).toHaveLength(1);
    const activity = await t.ctx.db
      .select()
      .from(activityLog)
      .where(and(eq(activityLog.subjectId, o.orderId), eq(activityLog.action, 'payment.finished')));
    expect(activity).toHaveLength(1);
  });

  it('writes nothing when a re-deposit was linked to the order after the read: the sum is the locked path’s to make', async () => {
    const o = await confirmingInvoice();
    const child = await np.redeposit(o.paymentId, Number(o.payAmount) / 10, { status: 'confirming' });
    expect(child.ipnStatus).toBe(200);
    expect(await writeFinished(o.read, o.payAmount)).toEqual({ written: false });
    await nothingWritten(o.orderId, o.paymentId);
    const again = await readWithoutLock(o.opts);
    expect(again?.hasSiblings).toBe(true);
  });

  it.skipIf(!process.env.DATABASE_URL)('writes nothing when the payment changed while the statement waited for its lock', async () => {
    const o = await confirmingInvoice();
    const other = new pg.Client({ connectionString: t.ctx.config.databaseUrl });
    // Outside any transaction: one caches pg_stat_activity at its first read.
    const watch = new pg.Client({ connectionString: t.ctx.config.databaseUrl });
    await other.connect();
    await watch.connect();
    try {
      await other.query('begin');
      await other.query('update payments set last_checked_at = now() where id = $1', [o.read.payment.id]);
      const write = writeFinished(o.read, o.payAmount);
      // The statement is queued on the row lock (its version check passed on what it could see).
      await waitUntil(async () => {
        const { rows } = await watch.query<{ n: number }>(
          `select count(*)::int as n from pg_stat_activity where wait_event_type = 'Lock' and query like 'with v as (select * from json_to_recordset%'`,
        );
        return rows[0]!.n > 0;
      });
      await other.query('commit');
      expect(await write).toEqual({ written: false });
      await nothingWritten(o.orderId, o.paymentId);
    } finally {
      await other.end();
      await watch.end();
    }
  });
});

async function waitUntil(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('timed out waiting');
}

import { randomUUID } from 'node:crypto';
import Big from 'big.js';
import { and, eq, like } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countFulfilJobs, loadOrder } from '../../../test/factories/orders.js';
import { sandboxSenders } from '../../../test/factories/stock.js';
import { type IpnSuite, startIpnSuite } from '../../../test/helpers/ipn-suite.js';
import { adbots, notifications, paymentEvents, payments } from '../../db/schema.js';
import { fulfilOrder } from '../fulfilment/fulfil-order.js';
import { applyPaymentStatus } from './apply-payment-status.js';
import type { ProviderStatus } from './payment-status.js';

// The payment state machine under random histories, as NOWPayments produces them (an invoice,
// maybe underpaid, then re-deposits as child payments, maybe refunded; and payments of the
// merchant's that no order of ours claims), delivered as the internet delivers them:
// duplicated, reordered, half by signed IPN and half by poll, with the fulfil-order jobs they
// queue run (and re-run, as a retry would) at random points in between. Runs on whichever
// database the suite runs on (PGlite, or PostgreSQL with DATABASE_URL).
//
// Replaying a failure: fast-check prints the seed and path; `FC_SEED=<seed> npx vitest run
// <this file>` runs the same histories again (FC_RUNS=<n> for more of them).

/** One report about one payment: `child` is the index of a re-deposit, null for the invoice. */
type Report = { child: number | null; status: ProviderStatus; paidPermille: number };
/** A delivery: a report by IPN or poll, a report about a payment no order claims, or a worker run of the queued jobs. */
type Step =
  | (Report & { kind: 'report'; via: 'ipn' | 'poll' })
  | { kind: 'unknown'; unknown: number; status: ProviderStatus; paidPermille: number; orderRef: 'foreign' | 'other-shop' }
  | { kind: 'drain'; retry: boolean };

/** A realistic history: each payment's reports in the order the provider made them. */
const historyArb = fc.oneof(
  // Paid in one go (maybe a little over or under the amount due), sometimes refunded afterwards.
  fc
    .tuple(fc.integer({ min: 950, max: 1100 }), fc.boolean())
    .map(([p, refunded]) => [[...chain(null, p, 'finished'), ...(refunded ? [{ child: null, status: 'refunded' as ProviderStatus, paidPermille: p }] : [])]]),
  // Underpaid, then topped up by one to three re-deposits.
  fc
    .tuple(fc.integer({ min: 100, max: 900 }), fc.array(fc.tuple(fc.integer({ min: 50, max: 900 }), fc.boolean()), { minLength: 0, maxLength: 3 }))
    .map(([first, children]) => [
      chain(null, first, 'partially_paid'),
      ...children.map(([p, finished], i) => chain(i, p, finished ? 'finished' : 'partially_paid')),
    ]),
  // Nothing arrives.
  fc.constant([[{ child: null, status: 'expired' as ProviderStatus, paidPermille: 0 }]]),
);

function chain(child: number | null, paidPermille: number, last: ProviderStatus): Report[] {
  return [
    { child, status: 'confirming', paidPermille },
    { child, status: last, paidPermille },
  ];
}

/** Zero to two payments nothing of ours claims (another shop's order id, or an order we never had). */
const unknownsArb = fc.array(
  fc.record({
    paidPermille: fc.integer({ min: 1, max: 1100 }),
    finished: fc.boolean(),
    orderRef: fc.constantFrom<'foreign' | 'other-shop'>('foreign', 'other-shop'),
  }),
  { minLength: 0, maxLength: 2 },
);

/** The deliveries: every report at least once, some twice, in any order, each by IPN or poll, with worker runs between. */
const runArb = fc.tuple(historyArb, unknownsArb).chain(([history, unknowns]) => {
  const reports = history.flat();
  const strays: Step[] = unknowns.flatMap((u, i) => [
    { kind: 'unknown' as const, unknown: i, status: 'confirming' as ProviderStatus, paidPermille: u.paidPermille, orderRef: u.orderRef },
    {
      kind: 'unknown' as const,
      unknown: i,
      status: (u.finished ? 'finished' : 'partially_paid') as ProviderStatus,
      paidPermille: u.paidPermille,
      orderRef: u.orderRef,
    },
  ]);
  return fc
    .tuple(
      fc.shuffledSubarray(reports, { minLength: 0, maxLength: reports.length }),
      fc.array(fc.constantFrom<'ipn' | 'poll'>('ipn', 'poll'), { minLength: reports.length * 2, maxLength: reports.length * 2 }),
      fc.array(fc.constantFrom<'none' | 'drain' | 'retry'>('none', 'drain', 'retry'), {
        minLength: reports.length * 2 + strays.length,
        maxLength: reports.length * 2 + strays.length,
      }),
      fc.func(fc.integer()),
    )
    .map(([dups, vias, workers, rank]) => {
      const all: Step[] = [...[...reports, ...dups].map((r, i) => ({ ...r, kind: 'report' as const, via: vias[i % vias.length]! })), ...strays];
      const shuffled = all.map((r, i) => ({ r, k: rank(i) })).sort((a, b) => a.k - b.k);
      const steps = shuffled.flatMap(({ r }, i): Step[] => {
        const w = workers[i]!;
        return w === 'none' ? [r] : [r, { kind: 'drain', retry: w === 'retry' }];
      });
      return { history: reports, unknowns, steps };
    });
});

const RUNS = Number(process.env.FC_RUNS ?? 40);
const SEED = process.env.FC_SEED ? Number(process.env.FC_SEED) : undefined;

type Bought = { orderId: string; paymentId: string; payAmount: string };

describe('the payment state machine (fast-check)', () => {
  let s: IpnSuite;
  /** Across all runs: how many ended each way, so a property that held only vacuously fails. */
  const seen = { fulfilled: 0, refundedAfterFulfilment: 0, refunded: 0, underpaid: 0, unknownAlerts: 0, retriedFulfilments: 0 };

  beforeAll(async () => {
    s = await startIpnSuite();
    // Two Bronze orders a run, each holding its sender: stock for every run.
    await sandboxSenders(s.t, 2 * RUNS);
  });
  afterAll(async () => s?.close());

  let priceUsd = 0;

  async function deliver(order: Bought, r: Report & { via: 'ipn' | 'poll' }): Promise<void> {
    const due = new Big(order.payAmount);
    const actuallyPaid = due.times(r.paidPermille).div(1000).round(8).toString();
    const id = r.child === null ? order.paymentId : `${order.paymentId}-c${r.child}`;
    const parent = r.child === null ? null : order.paymentId;
    if (r.via === 'poll') {
      await applyPaymentStatus({
        ctx: s.t.ctx,
        providerPaymentId: id,
        parentProviderPaymentId: parent,
        status: r.status,
        actuallyPaid: r.status === 'expired' ? null : actuallyPaid,
        payCurrency: 'btc',
        claimed: { orderId: order.orderId, priceAmount: priceUsd, priceCurrency: 'usd' },
        source: 'poll',
      });
      return;
    }
    await postSigned({
      payment_id: id,
      parent_payment_id: parent,
      payment_status: r.status,
      actually_paid: r.status === 'expired' ? 0 : Number(actuallyPaid),
      pay_amount: Number(order.payAmount),
      pay_currency: 'btc',
      order_id: order.orderId,
      price_amount: priceUsd,
      price_currency: 'usd',
    });
  }

  async function postSigned(body: Record<string, unknown>): Promise<void> {
    const res = await s.postIpn(body, s.signed(body));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  }

  /** Money of the merchant's that names no order of ours: answered 200 all the same. */
  async function deliverUnknown(run: string, step: Extract<Step, { kind: 'unknown' }>): Promise<void> {
    await postSigned({
      payment_id: `${run}-u${step.unknown}`,
      parent_payment_id: null,
      payment_status: step.status,
      actually_paid: (0.001 * step.paidPermille) / 1000,
      pay_amount: 0.001,
      pay_currency: 'btc',
      order_id: step.orderRef === 'foreign' ? randomUUID() : `shop-${step.unknown}`,
      price_amount: 25,
      price_currency: 'usd',
    });
  }

  /**
   * The worker: runs every fulfil-order job queued for the order (pgboss keeps them, this app
   * has no worker), and with `retry` runs the ones already run again, as a retried job would.
   * Returns how many of those runs provisioned the order.
   */
  async function drain(orderId: string, ran: Set<string>, retry: boolean): Promise<number> {
    const { rows } = await s.t.ctx.database.executor.executeSql(`select id::text as id from pgboss.job where name = 'fulfil-order' and data->>'orderId' = $1`, [
      orderId,
    ]);
    let provisioned = 0;
    for (const { id } of rows as { id: string }[]) {
      if (ran.has(id) && !retry) continue;
      if (ran.has(id)) seen.retriedFulfilments++;
      ran.add(id);
      if ((await fulfilOrder({ ctx: s.t.ctx, orderId })) === 'fulfilled') provisioned++;
    }
    return provisioned;
  }

  async function outcome(orderId: string) {
    const { order } = await loadOrder(s.t.ctx, orderId);
    const rows = await s.t.ctx.db.select().from(payments).where(eq(payments.orderId, orderId));
    const bots = await s.t.ctx.db.select({ id: adbots.id }).from(adbots).where(eq(adbots.userId, order.userId));
    return { status: order.status, rows, bots: bots.length };
  }

  it('fulfils at most once, never goes back, never loses money, whatever the order of deliveries', async () => {
    let runNo = 0;
    await fc.assert(
      fc.asyncProperty(runArb, async ({ history, unknowns, steps }) => {
        const run = `r${++runNo}-${randomUUID().slice(0, 8)}`;
        const inOrder = await s.buy('bronze', 'btc');
        const jumbled = await s.buy('bronze', 'btc');
        priceUsd = (await s.t.ctx.db.select().from(payments).where(eq(payments.orderId, inOrder.orderId)))[0]!.priceCents / 100;

        // As the provider sent them, the worker running after each.
        const ranInOrder = new Set<string>();
        let provisionedInOrder = 0;
        for (const r of history) {
          await deliver(inOrder, { ...r, via: 'ipn' });
          provisionedInOrder += await drain(inOrder.orderId, ranInOrder, false);
        }

        const paidSeen = new Map<string, Big>();
        const ran = new Set<string>();
        let provisioned = 0;
        for (const step of steps) {
          const before = await outcome(jumbled.orderId);
          if (step.kind === 'report') await deliver(jumbled, step);
          else if (step.kind === 'unknown') await deliverUnknown(run, step);
          else provisioned += await drain(jumbled.orderId, ran, step.retry);
          const after = await outcome(jumbled.orderId);
          // Never leaves refunded; fulfilled only goes on to refunded.
          if (before.status === 'refunded') expect(after.status).toBe('refunded');
          if (before.status === 'fulfilled') expect(['fulfilled', 'refunded']).toContain(after.status);
          // Never fulfilled twice: one queued job, one provisioning, one adbot.
          expect(await countFulfilJobs(s.t.ctx, jumbled.orderId)).toBeLessThanOrEqual(1);
          expect(provisioned).toBeLessThanOrEqual(1);
          expect(after.bots).toBeLessThanOrEqual(1);
          // Amounts received never decrease.
          for (const row of after.rows) {
            const now = new Big(row.actuallyPaid ?? 0);
            const was = paidSeen.get(row.id) ?? new Big(0);
            expect(now.gte(was), `${row.providerPaymentId} went from ${was} to ${now}`).toBe(true);
            paidSeen.set(row.id, now);
          }
        }
        // The worker catches up in the end, as it would.
        provisioned += await drain(jumbled.orderId, ran, true);
        provisionedInOrder += await drain(inOrder.orderId, ranInOrder, true);

        // The outcome does not depend on the order or on duplicates.
        const a = await outcome(inOrder.orderId);
        const b = await outcome(jumbled.orderId);
        expect(b.status, `in order: ${a.status}, jumbled: ${b.status}`).toBe(a.status);
        expect(b.rows.length).toBe(a.rows.length);
        // And it is the right one: paid exactly when what settled covers the amount within 1 %,
        // then fulfilled by the one job; a refund ends it whenever it arrives.
        const settled = history.filter((r) => r.status === 'finished' || r.status === 'partially_paid');
        const invoiceFinished = settled.some((r) => r.child === null && r.status === 'finished');
        const permille = settled.reduce((sum, r) => sum + r.paidPermille, 0);
        const paid = invoiceFinished || permille >= 990;
        const refunded = history.some((r) => r.status === 'refunded');
        const expected = refunded ? 'refunded' : paid ? 'fulfilled' : permille > 0 ? 'partially_paid' : 'expired';
        expect(a.status, JSON.stringify(history)).toBe(expected);
        expect(await countFulfilJobs(s.t.ctx, inOrder.orderId)).toBe(paid ? 1 : 0);
        // In order, the worker ran after `finished` and before the refund: provisioned exactly once.
        expect(provisionedInOrder).toBe(paid ? 1 : 0);
        expect(a.bots).toBe(paid ? 1 : 0);
        expect(provisioned).toBeLessThanOrEqual(1);
        if (!refunded) expect(provisioned).toBe(paid ? 1 : 0);

        // Money received is never left without an order or an admin alert: every payment row
        // that holds money belongs to an order (the schema requires it), each payment nothing
        // claims is kept in the IPN log and alerts the admins once, and ours never alert.
        for (let i = 0; i < unknowns.length; i++) {
          const id = `${run}-u${i}`;
          const events = await s.eventsFor(id);
          expect(events.length, id).toBeGreaterThanOrEqual(2);
          expect(events.every((e) => e.verdict === 'unknown_payment' && e.signatureValid)).toBe(true);
          const alerts = await s.t.ctx.db
            .select()
            .from(notifications)
            .where(and(eq(notifications.kind, 'payment_unknown'), eq(notifications.dedupeKey, `payment:${id}:unknown`)));
          expect(alerts.length, id).toBeGreaterThanOrEqual(1);
          seen.unknownAlerts++;
        }
        const ours = await s.t.ctx.db
          .select()
          .from(notifications)
          .where(and(eq(notifications.kind, 'payment_unknown'), like(notifications.body, `%${inOrder.paymentId}%`)));
        expect(ours).toHaveLength(0);
        const oursJumbled = await s.t.ctx.db.select().from(paymentEvents).where(eq(paymentEvents.providerPaymentId, jumbled.paymentId));
        expect(oursJumbled.some((e) => e.verdict === 'unknown_payment')).toBe(false);

        if (expected === 'fulfilled') seen.fulfilled++;
        if (refunded) seen.refunded++;
        if (refunded && provisionedInOrder === 1) seen.refundedAfterFulfilment++;
        if (expected === 'partially_paid') seen.underpaid++;
      }),
      { numRuns: RUNS, ...(SEED !== undefined ? { seed: SEED } : {}) },
    );
    // Not vacuous: the runs did fulfil, refund fulfilled orders, stay underpaid, meet unknown
    // payments, and retry fulfil jobs that had already run.
    expect(seen.fulfilled, JSON.stringify(seen)).toBeGreaterThan(0);
    expect(seen.refundedAfterFulfilment, JSON.stringify(seen)).toBeGreaterThan(0);
    expect(seen.underpaid, JSON.stringify(seen)).toBeGreaterThan(0);
    expect(seen.unknownAlerts, JSON.stringify(seen)).toBeGreaterThan(0);
    expect(seen.retriedFulfilments, JSON.stringify(seen)).toBeGreaterThan(0);
  }, 300_000);
});

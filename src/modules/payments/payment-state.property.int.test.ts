import Big from 'big.js';
import { eq } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countFulfilJobs, loadOrder } from '../../../test/factories/orders.js';
import { sandboxSenders } from '../../../test/factories/stock.js';
import { type IpnSuite, startIpnSuite } from '../../../test/helpers/ipn-suite.js';
import { notifications, payments } from '../../db/schema.js';
import { applyPaymentStatus } from './apply-payment-status.js';
import type { ProviderStatus } from './payment-status.js';

// The payment state machine under random histories, as NOWPayments produces them (an invoice,
// maybe underpaid, then re-deposits as child payments), delivered as the internet delivers them:
// duplicated, reordered, half by signed IPN and half by poll. Runs on whichever database the
// suite runs on (PGlite, or PostgreSQL with DATABASE_URL).

/** One report about one payment: `child` is the index of a re-deposit, null for the invoice. */
type Report = { child: number | null; status: ProviderStatus; paidPermille: number; via: 'ipn' | 'poll' };

/** A realistic history: each payment's reports in the order the provider made them. */
const historyArb = fc.oneof(
  // Paid in one go (maybe a little over or under the amount due).
  fc.integer({ min: 950, max: 1100 }).map((p) => [chain(null, p, 'finished')]),
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

function chain(child: number | null, paidPermille: number, last: ProviderStatus) {
  return [
    { child, status: 'confirming' as ProviderStatus, paidPermille },
    { child, status: last, paidPermille },
  ];
}

/** The deliveries: every report at least once, some twice, in any order, each by IPN or poll. */
const deliveriesArb = historyArb.chain((history) => {
  const reports = history.flat();
  return fc
    .tuple(
      fc.shuffledSubarray(reports, { minLength: 0, maxLength: reports.length }),
      fc.array(fc.constantFrom<'ipn' | 'poll'>('ipn', 'poll'), { minLength: reports.length * 2, maxLength: reports.length * 2 }),
      fc.func(fc.integer()),
    )
    .map(([dups, vias, rank]) => {
      const all = [...reports, ...dups].map((r, i) => ({ ...r, via: vias[i % vias.length]! }) as Report);
      const shuffled = all.map((r, i) => ({ r, k: rank(i) })).sort((a, b) => a.k - b.k);
      return { history: reports, shuffled: shuffled.map((x) => x.r) };
    });
});

const RUNS = 25;

describe('the payment state machine (fast-check)', () => {
  let s: IpnSuite;
  beforeAll(async () => {
    s = await startIpnSuite();
    // Two Bronze orders a run, each holding its sender: stock for every run.
    await sandboxSenders(s.t, 2 * RUNS);
  });
  afterAll(async () => s?.close());

  async function deliver(order: { orderId: string; paymentId: string; payAmount: string }, r: Report): Promise<void> {
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
    const body = {
      payment_id: id,
      parent_payment_id: parent,
      payment_status: r.status,
      actually_paid: r.status === 'expired' ? 0 : Number(actuallyPaid),
      pay_amount: Number(order.payAmount),
      pay_currency: 'btc',
      order_id: order.orderId,
      price_amount: priceUsd,
      price_currency: 'usd',
    };
    const res = await s.postIpn(body, s.signed(body));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  }

  let priceUsd = 0;

  async function outcome(orderId: string) {
    const { order } = await loadOrder(s.t.ctx, orderId);
    const rows = await s.t.ctx.db.select().from(payments).where(eq(payments.orderId, orderId));
    return { paid: order.status === 'paid' || order.status === 'fulfilled', status: order.status, rows };
  }

  it('fulfils at most once, never goes back, never loses money, whatever the order of deliveries', async () => {
    await fc.assert(
      fc.asyncProperty(deliveriesArb, async ({ history, shuffled }) => {
        const inOrder = await s.buy('bronze', 'btc');
        const jumbled = await s.buy('bronze', 'btc');
        priceUsd = (await s.t.ctx.db.select().from(payments).where(eq(payments.orderId, inOrder.orderId)))[0]!.priceCents / 100;
        for (const r of history) await deliver(inOrder, { ...r, via: 'ipn' });

        const paidSeen = new Map<string, Big>();
        let left = false;
        for (const r of shuffled) {
          const before = await outcome(jumbled.orderId);
          await deliver(jumbled, r);
          const after = await outcome(jumbled.orderId);
          // Never leaves fulfilled/refunded; never fulfilled twice.
          if (before.status === 'fulfilled' || before.status === 'refunded') left ||= after.status !== before.status;
          expect(await countFulfilJobs(s.t.ctx, jumbled.orderId)).toBeLessThanOrEqual(1);
          // Amounts received never decrease.
          for (const row of after.rows) {
            const now = new Big(row.actuallyPaid ?? 0);
            const was = paidSeen.get(row.id) ?? new Big(0);
            expect(now.gte(was), `${row.providerPaymentId} went from ${was} to ${now}`).toBe(true);
            paidSeen.set(row.id, now);
          }
        }
        expect(left).toBe(false);
        // The outcome does not depend on the order or on duplicates.
        const a = await outcome(inOrder.orderId);
        const b = await outcome(jumbled.orderId);
        expect(b.paid, `in order: ${a.status}, jumbled: ${b.status}`).toBe(a.paid);
        expect(b.status).toBe(a.status);
        expect(b.rows.length).toBe(a.rows.length);
        // And it is the right one: paid exactly when what settled covers the amount within 1 %.
        const settled = history.filter((r) => r.status === 'finished' || r.status === 'partially_paid');
        const invoiceFinished = settled.some((r) => r.child === null && r.status === 'finished');
        const permille = settled.reduce((sum, r) => sum + r.paidPermille, 0);
        expect(a.paid, JSON.stringify(history)).toBe(invoiceFinished || permille >= 990);
        expect(await countFulfilJobs(s.t.ctx, inOrder.orderId)).toBe(a.paid ? 1 : 0);
        // Money received is never left without an order or an admin alert: every payment row
        // that holds money belongs to an order (the schema requires it), and unknown ones alert.
        const unknown = await s.t.ctx.db.select().from(notifications).where(eq(notifications.kind, 'payment_unknown'));
        expect(unknown).toHaveLength(0);
      }),
      { numRuns: RUNS },
    );
  }, 300_000);
});

// Issue 9's payment benchmarks are bound by database round trips (bench/payment-create.ts):
// these pin the statements a checkout makes (a `finished` IPN's: payments/ipn-round-trips.int.test.ts), and that a checkout
// stampede on cold caches asks the provider once per question, so a change that adds a
// query to the hot path is a decision, not an accident.
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshEmail } from '../../../test/factories/ids.js';
import { checkout } from '../../../test/factories/orders.js';
import { sandboxSenders } from '../../../test/factories/stock.js';
import { type FakeNowPayments, startFakeNowPayments } from '../../../test/fakes/nowpayments.js';
import { statementsOf } from '../../../test/helpers/statements.js';
import { startTestApp, type TestApp } from '../../../test/helpers/test-app.js';
import { orders, plans } from '../../db/schema.js';
import { createCheckout } from './create-checkout.js';

describe('payment hot paths: round trips and provider questions', () => {
  let np: FakeNowPayments;
  let t: TestApp;
  beforeAll(async () => {
    np = await startFakeNowPayments();
    t = await startTestApp({ worker: false, env: { ...np.env(), RATE_LIMIT_CHECKOUT_PER_MINUTE: '1000', NOWPAYMENTS_PAYOUT_CURRENCY: 'usdttrc20' } });
    await sandboxSenders(t, 20);
  });
  afterAll(async () => {
    await t?.close();
    await np?.close();
  });

  it('a stampede of checkouts on cold caches asks the provider for its coins and minimum once', async () => {
    const answers = await Promise.all(Array.from({ length: 8 }, () => checkout(t, { email: freshEmail('stampede'), slug: 'bronze', currency: 'ltc' })));
    expect(answers.map((a) => a.status)).toEqual(Array(8).fill(201));
    expect(np.requests.filter((r) => r.path === '/merchant/coins')).toHaveLength(1);
    expect(np.requests.filter((r) => r.path.startsWith('/min-amount'))).toHaveLength(1);
  });

  it("a new customer's checkout makes 3 statements: 2 in the order transaction, 1 recording the invoice with the hold", async () => {
    const run = () => createCheckout({ ctx: t.ctx, email: freshEmail('trips'), slug: 'bronze', currency: 'ltc' });
    await run(); // caches warm
    const statements = await statementsOf(t, run);
    // In the transaction: the plan with the email's lock; then, on a snapshot taken under it,
    // one statement for the open-checkout lookup, the customer (new: so no current plan to
    // read) and the order with its payment, activity row and stock.
    expect(statements).toHaveLength(3);
    expect(statements[0]).toMatch(/pg_advisory_xact_lock\(hashtext\(\$\d+\)\).* from "plans"/s);
    expect(statements[1]).toMatch(
      /^with open_checkout as \(select .* from "orders" inner join "users".*new_customer as \(\s*insert into "users".*customer as \(.*o as \(\s*insert into "orders".*p as \(insert into "payments".*a as \(insert into "activity_log".*reserved as \(\s*update "senders"/s,
    );
    expect(statements.some((q) => /from "adbots"/.test(q))).toBe(false);
    // The invoice and the order's shortened hold: one statement, no transaction around it.
    expect(statements.at(-1)).toMatch(
      /^with also as \(update "orders" set reservation_expires_at = least.*\) update "payments" set "provider_payment_id" = \$\d+/s,
    );
  });

  it("a returning customer's checkout makes 5 statements: the lock, the lookup, their plan, the order, the invoice", async () => {
    const email = freshEmail('trips-again');
    const first = await createCheckout({ ctx: t.ctx, email, slug: 'bronze', currency: 'ltc' });
    const [bronze] = await t.ctx.db.select().from(plans).where(eq(plans.slug, 'bronze'));
    const [order] = await t.ctx.db.select().from(orders).where(eq(orders.id, first.orderId));
    await t.ctx.db.execute(sql`insert into adbots (user_id, plan_id, posting_interval_seconds, sender_count, expires_at)
      values (${order!.userId}, ${bronze!.id}, 3600, 1, now() + interval '10 days')`);
    const statements = await statementsOf(t, () => createCheckout({ ctx: t.ctx, email, slug: 'bronze', currency: 'eth' }));
    expect(statements).toHaveLength(5);
    expect(statements[1]).toMatch(/^with open_checkout as /);
    expect(statements[2]).toMatch(/from "adbots"/);
    expect(statements[3]).toMatch(/^with o as \(\s*insert into "orders".*reserved as \(\s*update "senders"/s);
  });

  it('POST /api/payment/create counts its two rate limits (address and email) in one statement', async () => {
    const statements = await statementsOf(t, async () => {
      const res = await checkout(t, { email: freshEmail('limits'), slug: 'bronze', currency: 'ltc' });
      expect(res.status).toBe(201);
    });
    const limits = statements.filter((q) => /^insert into "rate_limit_hits"/.test(q));
    expect(limits).toHaveLength(1);
    expect(limits[0]).toMatch(/values \(\$1, \$2, .*\), \(\$\d+, \$\d+, /);
  });
});

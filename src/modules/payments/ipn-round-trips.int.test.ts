// Issue 9's IPN benchmark is bound by database round trips (bench/payment-create.ts): these pin
// the statements `finished` IPNs make. One IPN: the unlocked read, then every write in one
// guarded statement (apply-in-one-statement.ts). IPNs that arrive together: the same two
// statements for all of them (the reads and the writes of one event-loop turn are batched), with
// every order paid and its receipt and fulfilment queued, each exactly once.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshEmail } from '../../../test/factories/ids.js';
import { sandboxSenders } from '../../../test/factories/stock.js';
import { type FakeNowPayments, startFakeNowPayments } from '../../../test/fakes/nowpayments.js';
import { statementsOf } from '../../../test/helpers/statements.js';
import { startTestApp, type TestApp } from '../../../test/helpers/test-app.js';
import { pgArray } from '../../db/named-query.js';
import { createCheckout } from '../checkout/create-checkout.js';
import { signIpn } from './ipn-signature.js';
import { receiveIpn } from './receive-ipn.js';

describe('finished IPNs: round trips', () => {
  let np: FakeNowPayments;
  let t: TestApp;
  beforeAll(async () => {
    np = await startFakeNowPayments();
    t = await startTestApp({ worker: false, env: { ...np.env(), RATE_LIMIT_CHECKOUT_PER_MINUTE: '1000' } });
    await sandboxSenders(t, 40);
  });
  afterAll(async () => {
    await t?.close();
    await np?.close();
  });

  /** A new invoice, paid in full at the fake, and the signed `finished` IPN it would send. */
  async function paidInvoice() {
    const created = await createCheckout({ ctx: t.ctx, email: freshEmail('ipn-trips'), slug: 'bronze', currency: 'ltc' });
    const p = np.payments.get(created.paymentId)!;
    Object.assign(p, { payment_status: 'finished', actually_paid: p.pay_amount });
    const body = np.ipnBody(created.paymentId);
    return { orderId: created.orderId, rawBody: JSON.stringify(body), headers: { 'x-nowpayments-sig': signIpn(body, np.ipnSecret) } };
  }

  async function queuedJobs(orderIds: string[]) {
    const { rows } = (await t.ctx.db.execute(
      sql`select j.name, count(*)::int as n from pgboss.job j
        where j.data->>'orderId' = any(${pgArray(orderIds)}::text[])
          or j.data->>'emailId' in (select id::text from emails where dedupe_key = any(${pgArray(orderIds.map((id) => `order:${id}:receipt`))}::text[]))
        group by j.name order by j.name`,
    )) as unknown as { rows: { name: string; n: number }[] };
    return rows;
  }

  it('a finished IPN makes 2 statements and no transaction: the unlocked read, then every write in one guarded statement', async () => {
    const ipn = await paidInvoice();
    let result: unknown;
    const statements = await statementsOf(t, async () => {
      result = await receiveIpn({ ctx: t.ctx, rawBody: ipn.rawBody, headers: ipn.headers });
    });
    expect(result).toMatchObject({ verdict: 'applied', status: 'finished', orderStatus: 'paid' });
    // The read (payment, order, customer, row versions, whether re-deposits exist), then one
    // statement: the lock with the version check, the status, the audit row, the activity row,
    // the order's move, the receipt email, fulfil-order and the email's delivery in one job insert.
    expect(statements).toHaveLength(2);
    expect(statements[0]).toMatch(/^select .*xmin::text.*from "payments" inner join "orders".*inner join "users".*= any\(\$1::text\[\]\)/s);
    const write = statements[1]!;
    expect(write).toMatch(/^with v as \(select \* from json_to_recordset\(\$1::json\)/);
    expect(write).toMatch(
      /lk as \(select v\.i, p\.id from "payments" p join "orders" o .*xmin::text = v\.payment_version.* order by p\.id for update of p, o\)/s,
    );
    for (const part of [
      /up as \(update "payments" set status/,
      /act as \(insert into "activity_log"/,
      /ev as \(insert into "payment_events"/,
      /ord as \(update "orders" set .*"status" = /s,
      /em as \(insert into "emails"/,
      /jb as \(\s*WITH defaults as .*INSERT INTO pgboss\.job/s,
    ]) {
      expect(write).toMatch(part);
    }
    expect(await queuedJobs([ipn.orderId])).toEqual([
      { name: 'fulfil-order', n: 1 },
      { name: 'send-email', n: 1 },
    ]);
  });

  it('eight IPNs that arrive together share the two statements, and each order is paid with its receipt and fulfilment queued once', async () => {
    const ipns = await Promise.all(Array.from({ length: 8 }, () => paidInvoice()));
    let results: unknown[] = [];
    const statements = await statementsOf(t, async () => {
      results = await Promise.all(ipns.map((ipn) => receiveIpn({ ctx: t.ctx, rawBody: ipn.rawBody, headers: ipn.headers })));
    });
    expect(results).toEqual(Array(8).fill(expect.objectContaining({ verdict: 'applied', status: 'finished', orderStatus: 'paid' })));
    expect(statements).toHaveLength(2);
    const orderIds = ipns.map((ipn) => ipn.orderId);
    const { rows } = (await t.ctx.db.execute(
      sql`select (select count(*)::int from orders where id = any(${pgArray(orderIds)}::uuid[]) and status = 'paid' and paid_at is not null) as paid,
        (select count(*)::int from payment_events where order_id = any(${pgArray(orderIds)}::uuid[]) and verdict = 'applied') as events,
        (select count(*)::int from activity_log where subject_id = any(${pgArray(orderIds)}::text[]) and action = 'payment.finished') as activity,
        (select count(*)::int from payments where order_id = any(${pgArray(orderIds)}::uuid[]) and status = 'finished') as finished`,
    )) as unknown as { rows: Record<string, number>[] };
    expect(rows[0]).toEqual({ paid: 8, events: 8, activity: 8, finished: 8 });
    expect(await queuedJobs(orderIds)).toEqual([
      { name: 'fulfil-order', n: 8 },
      { name: 'send-email', n: 8 },
    ]);
  });
});

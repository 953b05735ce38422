// Phases (c) and (d) of bench/hostile.ts, each with its database checks: the answers alone
// cannot show a double fulfilment or an oversold stock.
import { checkout, type Invoice, ipnFor, sendSignedIpn, shuffle, waitUntil } from './orders.js';
import { addSenders, type Stack } from './stack.js';
import { inParallel, type Tally, tally } from './traffic.js';

export type ReplayResult = {
  orders: number;
  ipns: Tally;
  fulfilledOnce: number;
  notFulfilled: number;
  fulfilledTwice: number;
  refundedAndFulfilled: number;
  paymentNotFinished: number;
  problems: string[];
};

/** (c) waiting → confirming → finished for each order, each sent 3×, all shuffled together, 16 in flight. */
export async function replayShuffled(stack: Stack, invoices: Invoice[], seed: number): Promise<ReplayResult> {
  const statuses = ['waiting', 'confirming', 'finished'] as const;
  const bodies = invoices.flatMap((inv) => statuses.flatMap((s) => [0, 1, 2].map(() => ipnFor(stack, inv, s))));
  const outcomes = await inParallel(shuffle(bodies, seed), 16, (b) => sendSignedIpn(stack, b));
  const ids = invoices.map((i) => i.orderId);
  await waitUntil(async () => {
    const r = await stack.db.query(`select count(*)::int as n from orders where id = any($1) and status = 'fulfilled'`, [ids]);
    return r.rows[0].n === ids.length;
  }, 60_000);
  const rows = (
    await stack.db.query(
      `select o.id, o.status, o.senders, o.validity_days, p.status as pay_status,
         (select count(*)::int from license_keys k where k.order_id = o.id) as keys,
         (select count(*)::int from activity_log a where a.subject_id = o.id::text and a.action = 'order.fulfilled') as fulfil_logs,
         (select count(*)::int from activity_log a where a.subject_id = o.id::text and a.action like '%refund%') as refund_logs,
         (select count(*)::int from emails e where e.dedupe_key = 'order:' || o.id || ':fulfilled') as mails,
         (select count(*)::int from adbots b where b.user_id = o.user_id) as adbots,
         (select extract(epoch from b.expires_at - o.fulfilled_at) / 86400 from adbots b where b.user_id = o.user_id) as days,
         (select count(*)::int from senders s join adbots b on b.id = s.adbot_id where b.user_id = o.user_id and s.state = 'assigned') as assigned
       from orders o join payments p on p.order_id = o.id where o.id = any($1)`,
      [ids],
    )
  ).rows;
  const problems: string[] = [];
  let fulfilledOnce = 0;
  let fulfilledTwice = 0;
  let refundedAndFulfilled = 0;
  for (const r of rows) {
    // A second fulfilment shows as a second log line or key, or as 60 days instead of 30.
    const twice = r.fulfil_logs > 1 || r.keys > 1 || r.mails > 1 || Number(r.days) > r.validity_days + 1;
    if (twice) fulfilledTwice++;
    if (r.status === 'fulfilled' && r.keys === 1 && r.fulfil_logs === 1 && r.mails === 1 && r.adbots === 1 && r.assigned === r.senders && !twice) {
      fulfilledOnce++;
    } else problems.push(`order ${r.id}: ${JSON.stringify(r)}`);
    if (r.refund_logs > 0 || r.status === 'refunded') refundedAndFulfilled += r.fulfil_logs > 0 ? 1 : 0;
  }
  return {
    orders: ids.length,
    ipns: tally(outcomes),
    fulfilledOnce,
    notFulfilled: rows.filter((r) => r.status !== 'fulfilled').length,
    fulfilledTwice,
    refundedAndFulfilled,
    paymentNotFinished: rows.filter((r) => r.pay_status !== 'finished').length,
    problems,
  };
}

export type StockRaceResult = {
  attempts: number;
  stockUnits: number;
  checkouts: Tally;
  invoices: number;
  ordersHoldingStock: number;
  sendersReserved: number;
  oversold: number;
  paid: Tally;
  fulfilled: number;
  backordered: number;
  problems: string[];
};

/** (d) `attempts` checkouts for Bronze (1 sender each) at once, with exactly `units` senders unused. */
export async function stockRace(stack: Stack, attempts: number, units: number, tag: string): Promise<StockRaceResult> {
  const unused = async () =>
    (await stack.db.query(`select count(*)::int as n from senders where state = 'unused' and (frozen_until is null or frozen_until <= now())`)).rows[0]
      .n as number;
  const before = await unused();
  if (before < units) await addSenders(stack, `${tag}_d`, units - before);
  const stockUnits = await unused();
  const problems: string[] = [];
  if (stockUnits !== units) problems.push(`stock before the race is ${stockUnits}, not ${units}`);

  const prefix = `race.${tag}`;
  // 60 s, not 20: a checkout the client gave up on still runs on the server and could take stock
  // after the count below; every one must have its answer before the stock is counted.
  const results = await Promise.all(Array.from({ length: attempts }, (_, i) => checkout(stack, `${prefix}.${i}@example.com`, 60_000)));
  const creating = async () => (await stack.db.query(`select count(*)::int as n from payments where status = 'creating'`)).rows[0].n === 0;
  if (!(await waitUntil(creating, 30_000))) problems.push('checkouts were still talking to the provider 30 s after the last answer');
  const invoices = results.flatMap((r) => (r.invoice ? [r.invoice] : []));
  const raceOrders = `select o.id from orders o join users u on u.id = o.user_id where u.email like $1`;
  const like = `${prefix}.%`;
  const held = (
    await stack.db.query(
      `select count(distinct o.id)::int as orders, count(s.id)::int as senders
       from orders o left join senders s on s.order_id = o.id and s.state = 'reserved'
       where o.id in (${raceOrders}) and o.status in ('pending', 'partially_paid', 'paid', 'fulfilled')`,
      [like],
    )
  ).rows[0] as { orders: number; senders: number };
  const over = await stack.db.query(
    `select o.id from orders o join senders s on s.order_id = o.id where o.id in (${raceOrders}) group by o.id having count(*) > max(o.senders_to_reserve)`,
    [like],
  );
  if (over.rowCount) problems.push(`${over.rowCount} orders hold more senders than they reserved`);
  if (held.senders > stockUnits) problems.push(`${held.senders} senders reserved from a stock of ${stockUnits}`);

  // Paying every invoice that was issued must not need more senders than there were.
  const paid = await inParallel(invoices, 16, (inv) => sendSignedIpn(stack, ipnFor(stack, inv, 'finished')));
  const settled = async () =>
    (
      await stack.db.query(
        `select count(*) filter (where status = 'fulfilled')::int as fulfilled,
           count(*) filter (where status = 'paid' and backordered)::int as backordered,
           count(*) filter (where status = 'paid' and not backordered)::int as waiting
         from orders where id in (${raceOrders})`,
        [like],
      )
    ).rows[0] as { fulfilled: number; backordered: number; waiting: number };
  await waitUntil(async () => (await settled()).waiting === 0, 60_000);
  const end = await settled();
  // With no more invoices than senders, a back-order means a sender went missing between reservation and fulfilment.
  if (end.backordered > 0) problems.push(`${end.backordered} paid orders were back-ordered`);
  if (end.waiting > 0) problems.push(`${end.waiting} paid orders were still neither fulfilled nor back-ordered after 60 s`);
  return {
    attempts,
    stockUnits,
    checkouts: tally(results.map((r) => r.outcome)),
    invoices: invoices.length,
    ordersHoldingStock: held.orders,
    sendersReserved: held.senders,
    oversold: Math.max(0, held.orders - stockUnits, end.fulfilled + end.backordered - stockUnits),
    paid: tally(paid),
    fulfilled: end.fulfilled,
    backordered: end.backordered,
    problems,
  };
}

export type ForgeryCheck = { victimsPaid: number; signedEvents: number; legitSigned: number; forgedStored: number };

/** (a) afterwards: the victims are still unpaid and no stored delivery outside (c) and (d) passed the signature check. */
export async function checkForgeries(stack: Stack, victims: Invoice[], legitSigned: number): Promise<ForgeryCheck> {
  const v = await stack.db.query(`select count(*)::int as n from orders where id = any($1) and status not in ('pending', 'expired', 'failed')`, [
    victims.map((i) => i.orderId),
  ]);
  const e = await stack.db.query(
    `select count(*) filter (where signature_valid)::int as signed, count(*) filter (where not signature_valid)::int as forged from payment_events where source = 'ipn'`,
  );
  return { victimsPaid: v.rows[0].n, signedEvents: e.rows[0].signed, legitSigned, forgedStored: e.rows[0].forged };
}

// The commonest payment move written in one statement with no transaction around it: a known
// invoice (no re-deposit beside it) moving forward, with its order paid or left as it is. Every
// IPN that pays an order takes this path; on this machine a round trip costs more than anything
// the statement does (BENCHMARKS.md), and the locked path takes eight of them.
//
// It is the locked path's decision (applyPaymentStatus made it from an unlocked read) written
// only if that read still holds: the first CTE locks the payment and its order, as the locked
// path does and in the same order, and keeps them only when both rows are still the versions
// read (`xmin`, which every update of a row changes; a re-deposit linked to the order touches
// the order, see link-payment.ts). READ COMMITTED re-checks that condition on the newest
// version of a row it waited for, so a change committed since the read, or while this statement
// waited for the lock, makes it write nothing: the caller then takes the locked path. Every other
// write of the statement reads that CTE, so all of them happen, or none.
import { randomUUID } from 'node:crypto';
import { type SQL, sql } from 'drizzle-orm';
import { executeShaped } from '../../db/named-query.js';
import { orders, paymentEvents, payments } from '../../db/schema.js';
import { tickBatcher } from '../../lib/tick-batcher.js';
import type { AppContext } from '../../platform/app-context.js';
import type { JobRequest } from '../../platform/jobs/job-sender.js';
import { activityRowsFor, type LogActivityOptions } from '../../platform/log-activity.js';
import { emailDeliveryJob, emailRowsFor, newEmailId } from '../../platform/notifications/queue-email.js';
import type { ReceiptRow } from '../checkout/get-receipt.js';
import { receiptMessageFromRows } from '../checkout/receipt-email.js';
import { transitionOrderSql } from '../checkout/transition-order.js';
import type { PaymentEventRecord, PaymentStatusSet } from './payment-records.js';

type Payment = typeof payments.$inferSelect;
type Order = typeof orders.$inferSelect;

/** The payment and order as read without a lock, with the row versions the write checks. */
export type UnlockedRead = {
  payment: Payment;
  order: Order;
  /** The customer's email (the receipt's address). */
  email: string | null;
  paymentVersion: string;
  orderVersion: string;
  /** The order has payments other than this one (re-deposits): their sum is decided under the lock. */
  hasSiblings: boolean;
};

export type WriteInOneStatementOptions = {
  ctx: AppContext;
  read: UnlockedRead;
  set: PaymentStatusSet;
  /** The audit row of the delivery, with its verdict. */
  event?: PaymentEventRecord;
  activity: Pick<LogActivityOptions, 'actorRole' | 'action' | 'details'>;
  /** The move pays the order: it moves to `paid`, and its receipt and fulfilment are queued. */
  paid: boolean;
};

type Written = { written: false } | { written: true; eventId?: string };

/** False: the payment or its order changed since the read, and nothing was written. */
export function writeInOneStatement(opts: WriteInOneStatementOptions): Promise<Written> {
  return batcherFor(opts.ctx)(itemOf(opts)).then((w) => w ?? { written: false });
}

/**
 * The writes of one event-loop turn go out as one statement (tickBatcher): under load many IPNs
 * are read in one turn, and a statement each cost every one its own pool checkout, round trip
 * and commit. Each item keeps its own guard (its rows locked only if still the versions read)
 * and its own writes, so one item whose read no longer holds writes nothing while the others
 * land; rows are locked in payment id order, so two batches never wait on each other in a cycle.
 */
const batchers = new WeakMap<object, (item: Item) => Promise<Written | undefined>>();

function batcherFor(ctx: AppContext) {
  let write = batchers.get(ctx.db);
  if (!write) {
    write = tickBatcher((items: Item[]) => writeBatch(ctx, items), { maxBatch: MAX_BATCH });
    batchers.set(ctx.db, write);
  }
  return write;
}

const MAX_BATCH = 64;

/** One item of the batch: a row of the statement's recordset (snake case: its column names). */
type Item = Record<string, unknown> & { i?: number; ev_id: string | null };

function itemOf(opts: WriteInOneStatementOptions): Item {
  const { ctx, read, set, event, activity, paid } = opts;
  const { payment, order } = read;
  const item: Item = {
    payment_id: payment.id,
    payment_version: read.paymentVersion,
    order_id: order.id,
    order_version: read.orderVersion,
    status: set.status,
    actually_paid: set.actuallyPaid,
    pay_amount: set.payAmount,
    updated_at: set.updatedAt.toISOString(),
    last_checked_at: set.lastCheckedAt ? set.lastCheckedAt.toISOString() : null,
    actor_role: activity.actorRole,
    action: activity.action,
    details: activity.details ?? {},
    ev_id: event ? randomUUID() : null,
    paid,
  };
  if (event) {
    Object.assign(item, {
      ev_source: event.source,
      ev_provider_payment_id: event.providerPaymentId ?? null,
      ev_order_id: event.orderId ?? null,
      ev_status: event.status ?? null,
      ev_signature_valid: event.signatureValid,
      ev_verdict: event.verdict,
      ev_raw_body: event.rawBody,
      ev_headers: event.headers ?? null,
    });
  }
  if (paid) {
    // The receipt commits with the payment, as on the locked path (queueReceiptEmail).
    const rows: ReceiptRow[] = [{ order: { ...order, status: 'paid', paidAt: set.updatedAt }, email: read.email, payment: { ...payment, ...set } }];
    const message = receiptMessageFromRows(ctx, rows);
    const jobs: JobRequest[] = [{ name: 'fulfil-order', data: { orderId: order.id } }];
    if (message) {
      const emailId = newEmailId();
      Object.assign(item, {
        email_id: emailId,
        email_to: message.to,
        email_subject: message.subject,
        email_body: message.bodyText,
        email_dedupe_key: message.dedupeKey,
      });
      jobs.push(emailDeliveryJob(emailId));
    }
    // What pg-boss's insert takes as its jobs parameter, each job checked against its queue's payload.
    item.jobs = ctx.jobs.insertRows!(jobs);
  }
  return item;
}

/**
 * Writes the batch; an item is in the answer only when its read held. When the statement fails
 * (a deadlock with a locked path, say), every item is answered "not written" and decided again
 * by the locked path, one by one, where an item's own fault surfaces as its own error.
 */
async function writeBatch(ctx: AppContext, items: Item[]): Promise<Map<Item, Written>> {
  // One write per payment and per order in a batch: the same IPN delivered twice at once is
  // decided twice from one read, and only one of them may land; the other takes the locked
  // path, which sees it as the repeat it is.
  const payments = new Set<unknown>();
  const orders = new Set<unknown>();
  const alone = items.filter((item) => {
    if (payments.has(item.payment_id) || orders.has(item.order_id)) return false;
    payments.add(item.payment_id);
    orders.add(item.order_id);
    return true;
  });
  const rows = alone.map((item, i) => ({ ...item, i }));
  const answer = new Map<Item, Written>();
  let locked: { i: number }[];
  try {
    locked = await executeShaped<{ i: number }>(ctx.db, 'payment_one_statement_batch', () => batchStatement(ctx), { items: JSON.stringify(rows) });
  } catch (err) {
    ctx.log.warn({ err, items: items.length }, 'the one-statement payment write failed; the locked path decides each payment again');
    return answer;
  }
  for (const { i } of locked) {
    const item = alone[Number(i)]!;
    answer.set(item, { written: true, ...(item.ev_id ? { eventId: item.ev_id } : {}) });
  }
  return answer;
}

/** The recordset's columns (itemOf's keys): one row per write of the batch. */
const COLUMNS = `i int, payment_id uuid, payment_version text, order_id uuid, order_version text, status text, actually_paid numeric,
  pay_amount numeric, updated_at timestamptz, last_checked_at timestamptz, actor_role text, action text, details jsonb,
  ev_id uuid, ev_source text, ev_provider_payment_id text, ev_order_id uuid, ev_status text, ev_signature_valid boolean,
  ev_verdict text, ev_raw_body text, ev_headers jsonb, paid boolean, email_id uuid, email_to text, email_subject text,
  email_body text, email_dedupe_key text, jobs json`;

/**
 * The batch's one statement, every value in its one parameter (executeShaped builds it once).
 * `lk` locks each item's payment and order, in payment id order, only where both rows are still
 * the versions read; `w` is the items it kept, and every write reads `w`, so an item's writes
 * all happen, or none of them.
 */
async function batchStatement(ctx: AppContext): Promise<SQL> {
  const w = sql`w`;
  const jobs = await ctx.jobs.insertSql!(sql`(select json_agg(j) from w cross join lateral json_array_elements(w.jobs) j where w.paid)`, sql`true`);
  const parts: [string, SQL][] = [
    ['v', sql`select * from json_to_recordset(${sql.placeholder('items')}::json) as v(${sql.raw(COLUMNS)})`],
    [
      'lk',
      sql`select v.i, p.id from ${payments} p join ${orders} o on o.id = p.order_id join v on v.payment_id = p.id
        where p.xmin::text = v.payment_version and o.xmin::text = v.order_version
        order by p.id for update of p, o`,
    ],
    ['w', sql`select v.* from v join lk on lk.i = v.i`],
    [
      'up',
      sql`update ${payments} set status = w.status, actually_paid = w.actually_paid, pay_amount = w.pay_amount,
        updated_at = w.updated_at, last_checked_at = coalesce(w.last_checked_at, ${payments}.last_checked_at)
        from w where ${payments}.id = w.payment_id`,
    ],
    [
      'act',
      activityRowsFor(w, {
        actorUserId: null,
        actorRole: sql`w.actor_role`,
        action: sql`w.action`,
        subjectType: 'order',
        subjectId: sql`w.order_id::text`,
        details: sql`w.details`,
      }),
    ],
    [
      'ev',
      sql`insert into ${paymentEvents} (id, source, provider_payment_id, order_id, status, signature_valid, verdict, raw_body, headers)
        select w.ev_id, w.ev_source, w.ev_provider_payment_id, w.ev_order_id, w.ev_status, w.ev_signature_valid, w.ev_verdict, w.ev_raw_body, w.ev_headers
        from w where w.ev_id is not null`,
    ],
    [
      'ord',
      transitionOrderSql(
        ctx.db,
        sql`any(select w.order_id from w where w.paid)`,
        { to: 'paid', set: { paidAt: sql`(select w.updated_at from w where w.order_id = ${orders.id} and w.paid limit 1)` } },
        sql`true`,
      ),
    ],
    [
      'em',
      emailRowsFor(
        w,
        {
          id: sql`w.email_id`,
          to: sql`w.email_to`,
          subject: sql`w.email_subject`,
          bodyText: sql`w.email_body`,
          dedupeKey: sql`w.email_dedupe_key`,
        },
        sql`w.email_id is not null`,
      ),
    ],
    ['jb', jobs],
  ];
  const ctes = sql.join(
    parts.map(([name, part]) => sql`${sql.raw(name)} as (${part})`),
    sql`, `,
  );
  return sql`with ${ctes} select i from lk`;
}

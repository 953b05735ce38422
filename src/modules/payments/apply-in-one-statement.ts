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
import { type SQL, sql } from 'drizzle-orm';
import { executeShaped } from '../../db/named-query.js';
import { orders, paymentEvents, payments } from '../../db/schema.js';
import type { AppContext } from '../../platform/app-context.js';
import type { JobRequest } from '../../platform/jobs/job-sender.js';
import { activityRowsFor, type LogActivityOptions } from '../../platform/log-activity.js';
import { emailDeliveryJob, emailRowSql } from '../../platform/notifications/queue-email.js';
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

/** False: the payment or its order changed since the read, and nothing was written. */
export async function writeInOneStatement(opts: WriteInOneStatementOptions): Promise<{ written: false } | { written: true; eventId?: string }> {
  const { ctx, read, set, event, activity, paid } = opts;
  const { payment, order } = read;
  const held = sql`exists (select 1 from lk)`;
  const parts: [string, SQL][] = [
    [
      'lk',
      sql`select p.id from ${payments} p join ${orders} o on o.id = p.order_id
        where p.id = ${payment.id}::uuid and p.xmin::text = ${read.paymentVersion}::text and o.xmin::text = ${read.orderVersion}::text
        for update`,
    ],
    [
      'up',
      sql`update ${payments} set status = ${set.status}::text, actually_paid = ${set.actuallyPaid}::numeric, pay_amount = ${set.payAmount}::numeric,
        updated_at = ${set.updatedAt.toISOString()}::timestamptz,
        last_checked_at = coalesce(${set.lastCheckedAt ? set.lastCheckedAt.toISOString() : null}::timestamptz, last_checked_at)
        where id = ${payment.id}::uuid and ${held}`,
    ],
    [
      'act',
      activityRowsFor(sql`lk`, {
        actorUserId: null,
        actorRole: activity.actorRole,
        action: activity.action,
        subjectType: 'order',
        subjectId: sql`${order.id}::text`,
        details: sql`${JSON.stringify(activity.details ?? {})}::jsonb`,
      }),
    ],
  ];
  if (event) {
    parts.push([
      'ev',
      sql`insert into ${paymentEvents} (source, provider_payment_id, order_id, status, signature_valid, verdict, raw_body, headers)
        select ${event.source}::text, ${event.providerPaymentId ?? null}::text, ${event.orderId ?? null}::uuid, ${event.status ?? null}::text,
          ${event.signatureValid}::boolean, ${event.verdict}::text, ${event.rawBody}::text, ${event.headers ? JSON.stringify(event.headers) : null}::jsonb
        from lk returning id`,
    ]);
  }
  if (paid) {
    const paidAt = set.updatedAt;
    parts.push(['ord', transitionOrderSql(ctx.db, order.id, { to: 'paid', set: { paidAt } }, held)]);
    // The receipt commits with the payment, as on the locked path (queueReceiptEmail).
    const rows: ReceiptRow[] = [{ order: { ...order, status: 'paid', paidAt }, email: read.email, payment: { ...payment, ...set } }];
    const message = receiptMessageFromRows(ctx, rows);
    const jobs: JobRequest[] = [{ name: 'fulfil-order', data: { orderId: order.id } }];
    if (message) {
      const email = emailRowSql(message, held);
      parts.push(['em', email.sql]);
      jobs.push(emailDeliveryJob(email.id));
    }
    parts.push(['jb', await ctx.jobs.insertSql!(jobs, held)]);
  }
  const ctes = sql.join(
    parts.map(([name, part]) => sql`${sql.raw(name)} as (${part})`),
    sql`, `,
  );
  const eventId = event ? sql`(select id from ev)` : sql`null::uuid`;
  const [row] = await executeShaped<{ locked: number; eventId: string | null }>(
    ctx.db,
    sql`with ${ctes} select (select count(*) from lk)::int as locked, ${eventId} as "eventId"`,
  );
  if (!row || Number(row.locked) === 0) return { written: false };
  return { written: true, ...(row.eventId ? { eventId: row.eventId } : {}) };
}

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
import { emailDeliveryJob, emailRowSql, newEmailId } from '../../platform/notifications/queue-email.js';
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
  const values: Record<string, unknown> = {
    paymentId: payment.id,
    paymentVersion: read.paymentVersion,
    orderId: order.id,
    orderVersion: read.orderVersion,
    status: set.status,
    actuallyPaid: set.actuallyPaid,
    payAmount: set.payAmount,
    updatedAt: set.updatedAt.toISOString(),
    lastCheckedAt: set.lastCheckedAt ? set.lastCheckedAt.toISOString() : null,
    details: JSON.stringify(activity.details ?? {}),
  };
  if (event) {
    Object.assign(values, {
      evSource: event.source,
      evProviderPaymentId: event.providerPaymentId ?? null,
      evOrderId: event.orderId ?? null,
      evStatus: event.status ?? null,
      evSignatureValid: event.signatureValid,
      evVerdict: event.verdict,
      evRawBody: event.rawBody,
      evHeaders: event.headers ? JSON.stringify(event.headers) : null,
    });
  }
  let email = false;
  if (paid) {
    // The receipt commits with the payment, as on the locked path (queueReceiptEmail).
    const rows: ReceiptRow[] = [{ order: { ...order, status: 'paid', paidAt: set.updatedAt }, email: read.email, payment: { ...payment, ...set } }];
    const message = receiptMessageFromRows(ctx, rows);
    const jobs: JobRequest[] = [{ name: 'fulfil-order', data: { orderId: order.id } }];
    if (message) {
      email = true;
      const emailId = newEmailId();
      Object.assign(values, { emailId, emailTo: message.to, emailSubject: message.subject, emailBody: message.bodyText, emailDedupeKey: message.dedupeKey });
      jobs.push(emailDeliveryJob(emailId));
    }
    values.jobs = ctx.jobs.insertValue!(jobs);
  }
  const shape = `payment_one_statement|${activity.actorRole}|${activity.action}|${event ? 'event' : ''}|${paid ? 'paid' : ''}|${email ? 'email' : ''}`;
  const build = async () => statement(opts, email, paid ? await ctx.jobs.insertSql!(p('jobs'), HELD) : null);
  const [row] = await executeShaped<{ locked: number; eventId: string | null }>(ctx.db, shape, build, values);
  if (!row || Number(row.locked) === 0) return { written: false };
  return { written: true, ...(row.eventId ? { eventId: row.eventId } : {}) };
}

const p = (name: string) => sql.placeholder(name);
const HELD = sql`exists (select 1 from lk)`;

/** The statement of one shape, every value a placeholder (executeShaped builds it once). */
function statement({ ctx, event, activity, paid }: WriteInOneStatementOptions, email: boolean, jobsSql: SQL | null): SQL {
  const parts: [string, SQL][] = [
    [
      'lk',
      sql`select p.id from ${payments} p join ${orders} o on o.id = p.order_id
        where p.id = ${p('paymentId')}::uuid and p.xmin::text = ${p('paymentVersion')}::text and o.xmin::text = ${p('orderVersion')}::text
        for update`,
    ],
    [
      'up',
      sql`update ${payments} set status = ${p('status')}::text, actually_paid = ${p('actuallyPaid')}::numeric, pay_amount = ${p('payAmount')}::numeric,
        updated_at = ${p('updatedAt')}::timestamptz, last_checked_at = coalesce(${p('lastCheckedAt')}::timestamptz, last_checked_at)
        where id = ${p('paymentId')}::uuid and ${HELD}`,
    ],
    [
      'act',
      activityRowsFor(sql`lk`, {
        actorUserId: null,
        actorRole: activity.actorRole,
        action: activity.action,
        subjectType: 'order',
        subjectId: sql`${p('orderId')}::text`,
        details: sql`${p('details')}::jsonb`,
      }),
    ],
  ];
  if (event) {
    parts.push([
      'ev',
      sql`insert into ${paymentEvents} (source, provider_payment_id, order_id, status, signature_valid, verdict, raw_body, headers)
        select ${p('evSource')}::text, ${p('evProviderPaymentId')}::text, ${p('evOrderId')}::uuid, ${p('evStatus')}::text,
          ${p('evSignatureValid')}::boolean, ${p('evVerdict')}::text, ${p('evRawBody')}::text, ${p('evHeaders')}::jsonb
        from lk returning id`,
    ]);
  }
  if (paid) {
    parts.push(['ord', transitionOrderSql(ctx.db, p('orderId'), { to: 'paid', set: { paidAt: sql`${p('updatedAt')}::timestamptz` } }, HELD)]);
    if (email) {
      const row = { id: p('emailId'), to: p('emailTo'), subject: p('emailSubject'), bodyText: p('emailBody'), dedupeKey: p('emailDedupeKey') };
      parts.push(['em', emailRowSql(row, HELD)]);
    }
    parts.push(['jb', jobsSql!]);
  }
  const ctes = sql.join(
    parts.map(([name, part]) => sql`${sql.raw(name)} as (${part})`),
    sql`, `,
  );
  const eventId = event ? sql`(select id from ev)` : sql`null::uuid`;
  return sql`with ${ctes} select (select count(*) from lk)::int as locked, ${eventId} as "eventId"`;
}

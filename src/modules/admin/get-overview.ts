import { and, desc, eq, gte, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { adbots, orders, posts, senders } from '../../db/schema.js';
import { attentionSql } from '../checkout/list-orders.js';
import { countUnmatchedPayments } from '../payments/list-unmatched-payments.js';

export type Overview = {
  revenueByDay: { date: string; usd: number }[];
  revenueByPlan: { plan: string; usd: number; orders: number }[];
  revenue30dUsd: number;
  activeBots: number;
  botsByStatus: Record<'running' | 'stopped' | 'expired' | 'suspended', number>;
  stock: Record<'unused' | 'reserved' | 'assigned' | 'frozen' | 'banned', number>;
  postsByDay: { date: string; sent: number; failed: number }[];
  ordersNeedingAttention: number;
  /** Signed payments no order claims: money a person must place or refund. */
  unmatchedPayments: number;
};

export type GetOverviewOptions = { db: DbOrTx; now?: Date };

const DAY_MS = 86_400_000;
const utcDay = (col: unknown) => sql<string>`to_char(${col} at time zone 'UTC', 'YYYY-MM-DD')`;

/** The last `days` UTC dates, oldest first, ending today. */
function lastDays(now: Date, days: number): string[] {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return Array.from({ length: days }, (_, i) => new Date(today - (days - 1 - i) * DAY_MS).toISOString().slice(0, 10));
}

/** The admin's front page: revenue (fulfilled orders, by UTC day), bots, stock, posting. */
export async function getOverview({ db, now = new Date() }: GetOverviewOptions): Promise<Overview> {
  const revenueDays = lastDays(now, 30);
  const postDays = lastDays(now, 14);
  const revenueSince = new Date(`${revenueDays[0]}T00:00:00Z`);
  const postsSince = new Date(`${postDays[0]}T00:00:00Z`);
  const fulfilledSince = and(eq(orders.status, 'fulfilled'), gte(orders.fulfilledAt, revenueSince));
  const revenueDay = utcDay(orders.fulfilledAt);
  const postDay = utcDay(posts.createdAt);

  // Money sums are bigint (an int sum overflows past $21.4M); pg returns bigint as text, hence mapWith(Number).
  const [byDay, byPlan, bots, stock, postRows, [attention], unmatchedPayments] = await Promise.all([
    db
      .select({ date: revenueDay, cents: sql<number>`sum(${orders.priceCents})::bigint`.mapWith(Number) })
      .from(orders)
      .where(fulfilledSince)
      .groupBy(revenueDay),
    db
      .select({ plan: orders.planName, cents: sql<number>`sum(${orders.priceCents})::bigint`.mapWith(Number), n: sql<number>`count(*)::int` })
      .from(orders)
      .where(fulfilledSince)
      .groupBy(orders.planName)
      .orderBy(desc(sql`sum(${orders.priceCents})`)),
    db.select({ status: adbots.status, n: sql<number>`count(*)::int` }).from(adbots).groupBy(adbots.status),
    db.select({ state: senders.state, n: sql<number>`count(*)::int` }).from(senders).groupBy(senders.state),
    db
      .select({
        date: postDay,
        sent: sql<number>`count(*) filter (where ${posts.status} in ('sent', 'unconfirmed'))::int`,
        failed: sql<number>`count(*) filter (where ${posts.status} = 'failed')::int`,
      })
      .from(posts)
      .where(gte(posts.createdAt, postsSince))
      .groupBy(postDay),
    db.select({ n: sql<number>`count(*)::int` }).from(orders).where(sql`(${attentionSql}) is not null`),
    countUnmatchedPayments({ db }),
  ]);

  const revenue = new Map(byDay.map((r) => [r.date, Number(r.cents)]));
  const postsMap = new Map(postRows.map((r) => [r.date, r]));
  const botsByStatus = { running: 0, stopped: 0, expired: 0, suspended: 0 };
  for (const b of bots) botsByStatus[b.status] = Number(b.n);
  const stockCounts = { unused: 0, reserved: 0, assigned: 0, frozen: 0, banned: 0 };
  for (const s of stock) stockCounts[s.state] = Number(s.n);
  const revenueByDay = revenueDays.map((date) => ({ date, usd: (revenue.get(date) ?? 0) / 100 }));

  return {
    revenueByDay,
    revenueByPlan: byPlan.map((r) => ({ plan: r.plan, usd: Number(r.cents) / 100, orders: Number(r.n) })),
    revenue30dUsd: revenueDays.reduce((sum, d) => sum + (revenue.get(d) ?? 0), 0) / 100,
    activeBots: botsByStatus.running,
    botsByStatus,
    stock: stockCounts,
    postsByDay: postDays.map((date) => ({ date, sent: Number(postsMap.get(date)?.sent ?? 0), failed: Number(postsMap.get(date)?.failed ?? 0) })),
    ordersNeedingAttention: Number(attention?.n ?? 0),
    unmatchedPayments,
  };
}

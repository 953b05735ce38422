import { and, eq, gte, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { adbots, posts } from '../../db/schema.js';

export type UserStats = {
  /** Includes the unconfirmed ones: they very likely went out. */
  messagesSent: number;
  /** Sent, not confirmed: the worker stopped before Telegram answered (no message id, no link). */
  messagesUnconfirmed: number;
  messagesFailed: number;
  lastPostAt: Date | null;
  status: 'running' | 'stopped' | 'expired' | 'suspended' | null;
  today: { sent: number; failed: number };
  daily: { date: string; sent: number; failed: number }[];
};

export type GetUserStatsOptions = { db: DbOrTx; userId: string; now?: Date };

const DAY_MS = 86_400_000;

/** Delivery counts from the posts table: totals, and per UTC day for the last 7 days. */
export async function getUserStats({ db, userId, now = new Date() }: GetUserStatsOptions): Promise<UserStats> {
  const today = now.toISOString().slice(0, 10);
  const dates = Array.from({ length: 7 }, (_, i) => new Date(Date.parse(today) - (6 - i) * DAY_MS).toISOString().slice(0, 10));
  const empty: UserStats = {
    messagesSent: 0,
    messagesUnconfirmed: 0,
    messagesFailed: 0,
    lastPostAt: null,
    status: null,
    today: { sent: 0, failed: 0 },
    daily: dates.map((date) => ({ date, sent: 0, failed: 0 })),
  };
  const [bot] = await db.select({ id: adbots.id, status: adbots.status }).from(adbots).where(eq(adbots.userId, userId));
  if (!bot) return empty;

  const [totals] = await db
    .select({
      sent: sql<number>`count(*) filter (where ${posts.status} in ('sent', 'unconfirmed'))::int`,
      unconfirmed: sql<number>`count(*) filter (where ${posts.status} = 'unconfirmed')::int`,
      failed: sql<number>`count(*) filter (where ${posts.status} = 'failed')::int`,
      lastPostAt: sql<string | null>`max(${posts.sentAt})`,
    })
    .from(posts)
    .where(eq(posts.adbotId, bot.id));
  const day = sql<string>`to_char(coalesce(${posts.sentAt}, ${posts.createdAt}) at time zone 'UTC', 'YYYY-MM-DD')`;
  const perDay = await db
    .select({
      date: day,
      sent: sql<number>`count(*) filter (where ${posts.status} in ('sent', 'unconfirmed'))::int`,
      failed: sql<number>`count(*) filter (where ${posts.status} = 'failed')::int`,
    })
    .from(posts)
    .where(and(eq(posts.adbotId, bot.id), gte(posts.createdAt, new Date(Date.parse(dates[0]!) - DAY_MS))))
    .groupBy(day);
  const byDate = new Map(perDay.map((d) => [d.date, d]));
  const daily = dates.map((date) => ({ date, sent: byDate.get(date)?.sent ?? 0, failed: byDate.get(date)?.failed ?? 0 }));
  return {
    messagesSent: totals?.sent ?? 0,
    messagesUnconfirmed: totals?.unconfirmed ?? 0,
    messagesFailed: totals?.failed ?? 0,
    lastPostAt: totals?.lastPostAt ? new Date(totals.lastPostAt) : null,
    status: bot.status,
    today: { sent: daily.at(-1)!.sent, failed: daily.at(-1)!.failed },
    daily,
  };
}

// What one engine run achieved, from both sides: the posts table (the engine's own record)
// and the fake Bot API's log of sends (what a Telegram group would have seen).
import type pg from 'pg';
import type { FakeSends } from './fake-process.js';

export type Window = { start: Date; t0: Date; t1: Date; interval: number; chats: number };

export type RunResults = {
  seconds: number;
  demandPerSecond: number;
  postsPerSecond: number;
  telegramPerSecond: number;
  lagP50: number;
  lagP99: number;
  lagMax: number;
  sendLagP99: number;
  duplicateRows: number;
  telegramExtra: number;
  tooClose: number;
  minGapSeconds: number | null;
  expectedSlots: number;
  missedSlots: number;
  failed: number;
  sentInWindow: number;
  /** Every chat's first post, from Telegram's log: chats drained and the rate they were drained at. */
  firstPosts: number;
  drainPerSecond: number;
  peak5sPerSecond: number;
};

// Loopback and timer jitter between the worker's clock and the fake's; a Telegram group sees whole seconds.
const CLOSE_TOLERANCE_MS = 50;
// A post at most this late after the window's end still counts for the window's last slot.
export const MISSED_TOLERANCE_S = 1;

async function postsFigures(db: pg.Pool, w: Window) {
  const { rows } = await db.query(
    `with lagged as (
       select extract(epoch from p.created_at - d.due) as claim_lag, extract(epoch from p.sent_at - d.due) as send_lag
       from posts p
       join adbots a on a.id = p.adbot_id
       join bench_first_due b on b.target_chat_id = p.target_chat_id
       -- The old engine keeps no due time: its chats are due at their epoch slot (never before the first due time).
       cross join lateral (select coalesce(p.due_at, greatest(to_timestamp(p.slot * a.posting_interval_seconds), b.due_at)) as due) d
       where p.created_at >= $1 and p.created_at < $2)
     select
       (select count(*) from posts where status in ('sent', 'unconfirmed') and sent_at >= $1 and sent_at < $2)::int as sent,
       (select count(*) from posts where status = 'failed' and created_at >= $1 and created_at < $2)::int as failed,
       (select count(*) - count(distinct (target_chat_id, slot)) from posts)::int as dup_rows,
       (select percentile_cont(0.5) within group (order by claim_lag) from lagged) as p50,
       (select percentile_cont(0.99) within group (order by claim_lag) from lagged) as p99,
       (select max(claim_lag) from lagged) as max,
       (select percentile_cont(0.99) within group (order by send_lag) from lagged) as send_p99`,
    [w.t0, w.t1],
  );
  const expected = Math.floor((w.t1.getTime() - w.t0.getTime()) / 1000 / w.interval);
  const missed = await db.query<{ missed: string }>(
    `select coalesce(sum(greatest(0, $3::int - coalesce(n, 0))), 0) as missed
     from target_chats t
     left join (select target_chat_id, count(*) as n from posts
                where status in ('sent', 'unconfirmed') and sent_at >= $1 and sent_at < $2::timestamptz + $4 * interval '1 second'
                group by 1) p on p.target_chat_id = t.id`,
    [w.t0, w.t1, expected, MISSED_TOLERANCE_S],
  );
  const r = rows[0];
  return { ...r, expected, missed: Number(missed.rows[0]!.missed) };
}

/** Sends per chat the engine does not know of (a double post), and consecutive sends closer than the interval. */
async function telegramFigures(db: pg.Pool, w: Window, sends: FakeSends) {
  const recorded = await db.query<{ chat_id: string; n: number }>(
    `select t.chat_id, count(p.id)::int as n from target_chats t
     left join posts p on p.target_chat_id = t.id and p.status in ('sent', 'unconfirmed', 'sending') group by t.chat_id`,
  );
  const known = new Map(recorded.rows.map((r) => [Number(r.chat_id), r.n]));
  const byChat = new Map<number, number[]>();
  for (let i = 0; i < sends.chat.length; i++) {
    const list = byChat.get(sends.chat[i]!) ?? [];
    list.push(sends.at[i]!);
    byChat.set(sends.chat[i]!, list);
  }
  let extra = 0;
  let tooClose = 0;
  let minGap = Number.POSITIVE_INFINITY;
  let lastFirst = 0;
  for (const [chat, times] of byChat) {
    extra += Math.max(0, times.length - (known.get(chat) ?? 0));
    times.sort((a, b) => a - b);
    lastFirst = Math.max(lastFirst, times[0]!);
    for (let i = 1; i < times.length; i++) {
      const gap = times[i]! - times[i - 1]!;
      minGap = Math.min(minGap, gap);
      if (gap < w.interval * 1000 - CLOSE_TOLERANCE_MS) tooClose++;
    }
  }
  const t0 = w.t0.getTime();
  const t1 = w.t1.getTime();
  const buckets = new Map<number, number>();
  let inWindow = 0;
  for (const at of sends.at) {
    if (at >= t0 && at < t1) inWindow++;
    buckets.set(Math.floor(at / 5000), (buckets.get(Math.floor(at / 5000)) ?? 0) + 1);
  }
  const drainSeconds = (lastFirst - w.start.getTime()) / 1000;
  return {
    extra,
    tooClose,
    minGap: Number.isFinite(minGap) ? minGap / 1000 : null,
    inWindow,
    firstPosts: byChat.size,
    drainPerSecond: byChat.size && drainSeconds > 0 ? byChat.size / drainSeconds : 0,
    peak5s: Math.max(0, ...buckets.values()) / 5,
  };
}

export async function collectResults({ db, window: w, sends }: { db: pg.Pool; window: Window; sends: FakeSends }): Promise<RunResults> {
  const seconds = (w.t1.getTime() - w.t0.getTime()) / 1000;
  const p = await postsFigures(db, w);
  const tg = await telegramFigures(db, w, sends);
  return {
    seconds,
    demandPerSecond: w.chats / w.interval,
    postsPerSecond: p.sent / seconds,
    telegramPerSecond: tg.inWindow / seconds,
    lagP50: Number(p.p50 ?? Number.NaN),
    lagP99: Number(p.p99 ?? Number.NaN),
    lagMax: Number(p.max ?? Number.NaN),
    sendLagP99: Number(p.send_p99 ?? Number.NaN),
    duplicateRows: p.dup_rows,
    telegramExtra: tg.extra,
    tooClose: tg.tooClose,
    minGapSeconds: tg.minGap,
    expectedSlots: p.expected * w.chats,
    missedSlots: p.missed,
    failed: p.failed,
    sentInWindow: p.sent,
    firstPosts: tg.firstPosts,
    drainPerSecond: tg.drainPerSecond,
    peak5sPerSecond: tg.peak5s,
  };
}

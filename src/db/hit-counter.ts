// Fixed-window counters in the database, shared by every process: the rate limits and the
// failed-login lockout count once for the whole deployment, however many API processes run.
import { and, eq, gt, lt, sql } from 'drizzle-orm';
import type { Db } from './client.js';
import { rateLimitHits } from './schema.js';

export type HitCount = { hits: number; resetAt: Date };

export type CountHitOptions = { db: Db; key: string; windowMs: number };

/** Adds one hit to `key`'s current window (a new window once the last one has ended). */
export async function countHit({ db, key, windowMs }: CountHitOptions): Promise<HitCount> {
  const fresh = sql`now() + make_interval(secs => ${windowMs / 1000})`;
  const ended = sql`${rateLimitHits.resetAt} <= now()`;
  const [row] = await db
    .insert(rateLimitHits)
    .values({ key, hits: 1, resetAt: fresh })
    .onConflictDoUpdate({
      target: rateLimitHits.key,
      set: {
        hits: sql`case when ${ended} then 1 else ${rateLimitHits.hits} + 1 end`,
        resetAt: sql`case when ${ended} then ${fresh} else ${rateLimitHits.resetAt} end`,
      },
    })
    .returning({ hits: rateLimitHits.hits, resetAt: rateLimitHits.resetAt });
  pruneNowAndThen(db);
  return { hits: row!.hits, resetAt: row!.resetAt };
}

export type CountHitsOptions = { db: Db; keys: readonly string[]; windowMs: number };

/**
 * Adds one hit to each of `keys` (distinct) in one statement: a request limited two ways (the
 * checkout, per address and per email) pays one round trip, not two. Counts in `keys` order.
 */
export async function countHits({ db, keys, windowMs }: CountHitsOptions): Promise<HitCount[]> {
  const fresh = sql`now() + make_interval(secs => ${windowMs / 1000})`;
  const ended = sql`${rateLimitHits.resetAt} <= now()`;
  const rows = await db
    .insert(rateLimitHits)
    .values(keys.map((key) => ({ key, hits: 1, resetAt: fresh })))
    .onConflictDoUpdate({
      target: rateLimitHits.key,
      set: {
        hits: sql`case when ${ended} then 1 else ${rateLimitHits.hits} + 1 end`,
        resetAt: sql`case when ${ended} then ${fresh} else ${rateLimitHits.resetAt} end`,
      },
    })
    .returning({ key: rateLimitHits.key, hits: rateLimitHits.hits, resetAt: rateLimitHits.resetAt });
  pruneNowAndThen(db);
  const byKey = new Map(rows.map((r) => [r.key, { hits: r.hits, resetAt: r.resetAt }]));
  return keys.map((k) => byKey.get(k)!);
}

export type UncountHitOptions = { db: Db; key: string };

/** Takes one hit back from `key`'s current window (an attempt that turned out not to count). */
export async function uncountHit({ db, key }: UncountHitOptions): Promise<void> {
  await db
    .update(rateLimitHits)
    .set({ hits: sql`greatest(${rateLimitHits.hits} - 1, 0)` })
    .where(and(eq(rateLimitHits.key, key), gt(rateLimitHits.resetAt, sql`now()`)));
}

export type ReadHitsOptions = { db: Db; key: string };

/** The hits in `key`'s current window, without adding one; 0 once the window has ended. */
export async function readHits({ db, key }: ReadHitsOptions): Promise<HitCount> {
  const [row] = await db
    .select({ hits: rateLimitHits.hits, resetAt: rateLimitHits.resetAt })
    .from(rateLimitHits)
    .where(and(eq(rateLimitHits.key, key), gt(rateLimitHits.resetAt, sql`now()`)));
  return row ?? { hits: 0, resetAt: new Date() };
}

const PRUNE_EVERY_MS = 10 * 60_000;
const lastPrune = new WeakMap<Db, number>();

/** Ended windows are dead rows: cleared at most every ten minutes per process, off the request's path. */
export function pruneNowAndThen(db: Db): void {
  const now = Date.now();
  if (now - (lastPrune.get(db) ?? 0) < PRUNE_EVERY_MS) return;
  lastPrune.set(db, now);
  db.delete(rateLimitHits)
    .where(lt(rateLimitHits.resetAt, sql`now() - interval '1 minute'`))
    .catch(() => lastPrune.delete(db));
}

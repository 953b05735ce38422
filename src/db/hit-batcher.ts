// The checkout's rate limits, counted for every request of one event-loop turn in one
// statement. Under load many checkouts are parsed in one turn; a counting statement each cost
// every request its own pool checkout, round trip and commit, and requests from one address
// queued on that address's row, each waiting for the one before it to commit (BENCHMARKS.md).
//
// Not a cache and no hit is lost: each hit is added by a statement that starts after its
// request arrived, and a key hit n times in one batch gets n added at once; the callers are
// told the counts 1..n above what was there, in the order they asked, as if each had run its
// own statement one after the other. When the statement fails, every caller gets its error.
import { sql } from 'drizzle-orm';
import type { Db } from './client.js';
import type { HitCount } from './hit-counter.js';
import { pruneNowAndThen } from './hit-counter.js';
import { rateLimitHits } from './schema.js';

export type HitBatcherOptions = {
  db: Db;
  windowMs: number;
  /** A batch of this many hits goes out at once. */
  maxBatch?: number;
};

type Ask = { keys: readonly string[]; resolve: (counts: HitCount[]) => void; reject: (err: unknown) => void };

/** `count(keys)` adds one hit to each of `keys` (distinct), batched per event-loop turn; counts in `keys` order. */
export function hitBatcher({ db, windowMs, maxBatch = 200 }: HitBatcherOptions): (keys: readonly string[]) => Promise<HitCount[]> {
  let pending: Ask[] | null = null;
  let hits = 0;

  const flush = (batch: Ask[]) => {
    if (pending === batch) {
      pending = null;
      hits = 0;
    }
    const perKey = new Map<string, number>();
    for (const ask of batch) for (const key of ask.keys) perKey.set(key, (perKey.get(key) ?? 0) + 1);
    addHits(db, perKey, windowMs).then(
      (after) => {
        // The k-th caller of a key hit n times sees what was there plus k.
        const seen = new Map<string, number>();
        for (const ask of batch) {
          ask.resolve(
            ask.keys.map((key) => {
              const k = (seen.get(key) ?? 0) + 1;
              seen.set(key, k);
              const row = after.get(key)!;
              return { hits: row.hits - perKey.get(key)! + k, resetAt: row.resetAt };
            }),
          );
        }
      },
      (err: unknown) => {
        for (const ask of batch) ask.reject(err);
      },
    );
  };

  return (keys) =>
    new Promise<HitCount[]>((resolve, reject) => {
      if (!pending) {
        const batch: Ask[] = [];
        pending = batch;
        setImmediate(() => {
          if (pending === batch) flush(batch);
        });
      }
      const batch = pending;
      batch.push({ keys, resolve, reject });
      hits += keys.length;
      if (hits >= maxBatch) flush(batch);
    });
}

/** One multi-row upsert adding `n` hits to each key (a new window for a key whose last one ended). */
async function addHits(db: Db, perKey: Map<string, number>, windowMs: number): Promise<Map<string, HitCount>> {
  const fresh = sql`now() + make_interval(secs => ${windowMs / 1000})`;
  const ended = sql`${rateLimitHits.resetAt} <= now()`;
  const rows = await db
    .insert(rateLimitHits)
    // In key order: two batches in flight at once (or two processes) lock their rows in the same order, never in a deadlock.
    .values([...perKey].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([key, n]) => ({ key, hits: n, resetAt: fresh })))
    .onConflictDoUpdate({
      target: rateLimitHits.key,
      set: {
        hits: sql`case when ${ended} then excluded.hits else ${rateLimitHits.hits} + excluded.hits end`,
        resetAt: sql`case when ${ended} then ${fresh} else ${rateLimitHits.resetAt} end`,
      },
    })
    .returning({ key: rateLimitHits.key, hits: rateLimitHits.hits, resetAt: rateLimitHits.resetAt });
  pruneNowAndThen(db);
  return new Map(rows.map((r) => [r.key, { hits: r.hits, resetAt: r.resetAt }]));
}

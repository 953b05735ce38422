// A store for @fastify/rate-limit on our own database (PGlite or PostgreSQL), so a limit holds
// across every API process. Same contract as the plugin's RedisStore: incr, read, child.
import type { Db } from '../db/client.js';
import { countHit, type HitCount, readHits } from '../db/hit-counter.js';

type Callback = (err: Error | null, res?: { current: number; ttl: number }) => void;
/** What the plugin really passes to `child` (its typings say otherwise): the merged limit options. */
type ChildOptions = { routeInfo?: { method?: string; url?: string } };

export type DatabaseRateLimitStoreOptions = {
  db: Db;
  /**
   * Routes counted in process memory instead: the IPN webhook's flood guard would otherwise
   * make every delivery from the provider's one address update a single row, one at a time.
   */
  inMemoryRoutes?: readonly string[];
};

const reply = (cb: Callback, r: HitCount) => cb(null, { current: r.hits, ttl: Math.max(0, r.resetAt.getTime() - Date.now()) });

export function databaseRateLimitStore({ db, inMemoryRoutes = [] }: DatabaseRateLimitStoreOptions) {
  class MemoryStore {
    private readonly windows = new Map<string, HitCount>();
    incr(key: string, cb: Callback, timeWindow: number): void {
      const now = Date.now();
      const w = this.windows.get(key);
      const next = w && w.resetAt.getTime() > now ? { hits: w.hits + 1, resetAt: w.resetAt } : { hits: 1, resetAt: new Date(now + timeWindow) };
      this.windows.delete(key);
      this.windows.set(key, next);
      if (this.windows.size > 10_000) this.windows.delete(this.windows.keys().next().value!);
      reply(cb, next);
    }
    read(key: string, cb: Callback): void {
      const w = this.windows.get(key);
      reply(cb, w && w.resetAt.getTime() > Date.now() ? w : { hits: 0, resetAt: new Date() });
    }
    child(): MemoryStore {
      return new MemoryStore();
    }
  }

  return class DatabaseRateLimitStore {
    readonly prefix: string;

    /** The plugin constructs the global store with its options; children get a route prefix. */
    constructor(prefix: unknown) {
      this.prefix = typeof prefix === 'string' ? prefix : 'rl:';
    }

    incr(key: string, cb: Callback, timeWindow: number): void {
      countHit({ db, key: this.prefix + key, windowMs: timeWindow }).then(
        (r) => reply(cb, r),
        (err: Error) => cb(err),
      );
    }

    read(key: string, cb: Callback): void {
      readHits({ db, key: this.prefix + key }).then(
        (r) => reply(cb, r),
        (err: Error) => cb(err),
      );
    }

    child(options: unknown): DatabaseRateLimitStore | MemoryStore {
      const { method = '', url = '' } = (options as ChildOptions).routeInfo ?? {};
      if (inMemoryRoutes.includes(url)) return new MemoryStore();
      return new DatabaseRateLimitStore(`${this.prefix}${method}${url}-`);
    }
  };
}

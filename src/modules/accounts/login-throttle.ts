// Failed logins per client (IP) in a fixed window, counted in the database so every API process
// sees the same count. Only failures count: a customer who logs in many times a day is never
// throttled, a guesser is. @fastify/rate-limit counts every request, hence this small counter.
import type { Db } from '../../db/client.js';
import { countHit, readHits } from '../../db/hit-counter.js';
import { AppError } from '../../lib/errors.js';

export type LoginThrottle = {
  /** Throws `rate_limited` while the client is locked out. */
  assertAllowed(clientKey: string): Promise<void>;
  recordFailure(clientKey: string): Promise<void>;
};

export type CreateLoginThrottleOptions = { db: Db; maxFailures: number; windowMs?: number };

export function createLoginThrottle({ db, maxFailures, windowMs = 15 * 60_000 }: CreateLoginThrottleOptions): LoginThrottle {
  const keyOf = (clientKey: string) => `login-failures:${clientKey}`;
  return {
    async assertAllowed(clientKey) {
      const { hits, resetAt } = await readHits({ db, key: keyOf(clientKey) });
      if (hits < maxFailures) return;
      const waitMs = Math.max(0, resetAt.getTime() - Date.now());
      const minutes = Math.max(1, Math.ceil(waitMs / 60_000));
      throw new AppError(
        'rate_limited',
        `Too many wrong access codes. Try again in ${minutes} minute${minutes === 1 ? '' : 's'} (after ${resetAt.toISOString().slice(11, 16)} UTC).`,
        { retryAfterSeconds: Math.ceil(waitMs / 1000) },
      );
    },
    async recordFailure(clientKey) {
      await countHit({ db, key: keyOf(clientKey), windowMs });
    },
  };
}

// Failed logins per client (IP) in a fixed window, counted in the database so every API process
// sees the same count. Only failures count: a customer who logs in many times a day is never
// throttled, a guesser is. @fastify/rate-limit counts every request, hence this small counter.
import type { Db } from '../../db/client.js';
import { countHit, uncountHit } from '../../db/hit-counter.js';
import { AppError } from '../../lib/errors.js';

export type LoginThrottle = {
  /**
   * Counts an attempt before the code is looked at, so guesses sent all at once cannot each
   * slip in under the limit; throws `rate_limited` once over it.
   */
  countAttempt(clientKey: string): Promise<void>;
  /** The attempt succeeded: it was not a failure, so it is taken back. */
  forgiveAttempt(clientKey: string): Promise<void>;
};

export type CreateLoginThrottleOptions = { db: Db; maxFailures: number; windowMs?: number };

export function createLoginThrottle({ db, maxFailures, windowMs = 15 * 60_000 }: CreateLoginThrottleOptions): LoginThrottle {
  const keyOf = (clientKey: string) => `login-failures:${clientKey}`;
  return {
    async countAttempt(clientKey) {
      const { hits, resetAt } = await countHit({ db, key: keyOf(clientKey), windowMs });
      if (hits <= maxFailures) return;
      const waitMs = Math.max(0, resetAt.getTime() - Date.now());
      const minutes = Math.max(1, Math.ceil(waitMs / 60_000));
      throw new AppError(
        'rate_limited',
        `Too many wrong access codes. Try again in ${minutes} minute${minutes === 1 ? '' : 's'} (after ${resetAt.toISOString().slice(11, 16)} UTC).`,
        { retryAfterSeconds: Math.ceil(waitMs / 1000) },
      );
    },
    async forgiveAttempt(clientKey) {
      await uncountHit({ db, key: keyOf(clientKey) });
    },
  };
}

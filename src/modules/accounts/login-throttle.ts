// Failed logins per client (IP), in a sliding window. Only failures count: a customer who
// logs in many times a day is never throttled, a guesser is. @fastify/rate-limit counts
// every request, which is why this is a small counter instead.
// The counter is per process: with several API processes the bound is multiplied by their
// number, which still leaves guessing a 128-bit code hopeless; it exists to stop noise.
import { AppError } from '../../lib/errors.js';

export type LoginThrottle = {
  /** Throws `rate_limited` while the client is locked out. */
  assertAllowed(clientKey: string, now?: number): void;
  recordFailure(clientKey: string, now?: number): void;
};

export type CreateLoginThrottleOptions = {
  maxFailures: number;
  windowMs?: number;
  /** Bounds memory when many addresses fail once each. */
  maxClients?: number;
};

export function createLoginThrottle({ maxFailures, windowMs = 15 * 60_000, maxClients = 10_000 }: CreateLoginThrottleOptions): LoginThrottle {
  const failures = new Map<string, number[]>();

  const recent = (key: string, now: number): number[] => {
    const list = (failures.get(key) ?? []).filter((t) => t > now - windowMs);
    if (list.length === 0) failures.delete(key);
    else failures.set(key, list);
    return list;
  };

  return {
    assertAllowed(clientKey, now = Date.now()) {
      const list = recent(clientKey, now);
      if (list.length < maxFailures) return;
      // Unlocks when enough of the counted failures have left the window.
      const unlockAt = list[list.length - maxFailures]! + windowMs;
      const minutes = Math.max(1, Math.ceil((unlockAt - now) / 60_000));
      throw new AppError(
        'rate_limited',
        `Too many wrong access codes. Try again in ${minutes} minute${minutes === 1 ? '' : 's'} (after ${new Date(unlockAt).toISOString().slice(11, 16)} UTC).`,
        { retryAfterSeconds: Math.ceil((unlockAt - now) / 1000) },
      );
    },
    recordFailure(clientKey, now = Date.now()) {
      const list = recent(clientKey, now);
      list.push(now);
      failures.delete(clientKey);
      failures.set(clientKey, list);
      if (failures.size > maxClients) failures.delete(failures.keys().next().value!);
    },
  };
}

// Failed logins in a fixed window, counted in the database so every API process sees the same
// count, per client address and per account. Only failures count: a customer who logs in many
// times a day is never throttled, a guesser is. @fastify/rate-limit counts every request, hence
// this small counter.
//
// "Per account": login takes only the access code, and the code is what names the account, so
// guesses aimed at one account are those sharing the beginning of its code. Failures are also
// counted per code prefix (ACCOUNT_PREFIX_CHARS characters after `HQ`): someone who holds part of
// a code (a photo, a half-pasted message) cannot try its completions from many addresses at once.
import type { Db } from '../../db/client.js';
import { countHit, uncountHit } from '../../db/hit-counter.js';
import { AppError } from '../../lib/errors.js';

/** 8 Crockford characters = 40 bits: a real code's bucket is shared with no other account's. */
export const ACCOUNT_PREFIX_CHARS = 8;

export type LoginAttempt = {
  /** Who is trying: the client address. */
  clientKey: string;
  /** What is typed: the code as entered (only its prefix is kept, as the account's key). */
  accessCode: string;
};

export type LoginThrottle = {
  /**
   * Counts an attempt before the code is looked at, so guesses sent all at once cannot each
   * slip in under the limit; throws `rate_limited` once the client or the account is over it.
   */
  countAttempt(attempt: LoginAttempt): Promise<void>;
  /** The attempt succeeded: it was not a failure, so it is taken back. */
  forgiveAttempt(attempt: LoginAttempt): Promise<void>;
};

export type CreateLoginThrottleOptions = { db: Db; maxFailures: number; windowMs?: number };

/** The account a code would belong to: its first characters, ignoring case, spaces and dashes. */
export function accountKeyOf(accessCode: string): string {
  const letters = accessCode.toUpperCase().replace(/[^0-9A-Z]/g, '');
  return (letters.startsWith('HQ') ? letters.slice(2) : letters).slice(0, ACCOUNT_PREFIX_CHARS);
}

export function createLoginThrottle({ db, maxFailures, windowMs = 15 * 60_000 }: CreateLoginThrottleOptions): LoginThrottle {
  const keysOf = ({ clientKey, accessCode }: LoginAttempt) => [`login-failures:${clientKey}`, `login-failures-account:${accountKeyOf(accessCode)}`];
  return {
    async countAttempt(attempt) {
      // One after the other, stopping at the first limit: parallel guesses then pass the second
      // counter in the order they passed the first, so exactly the limit gets through.
      let worst: { hits: number; resetAt: Date } | undefined;
      for (const key of keysOf(attempt)) {
        const hit = await countHit({ db, key, windowMs });
        if (hit.hits > maxFailures) {
          worst = hit;
          break;
        }
      }
      if (!worst) return;
      const waitMs = Math.max(0, worst.resetAt.getTime() - Date.now());
      const minutes = Math.max(1, Math.ceil(waitMs / 60_000));
      throw new AppError(
        'rate_limited',
        `Too many wrong access codes. Try again in ${minutes} minute${minutes === 1 ? '' : 's'} (after ${worst.resetAt.toISOString().slice(11, 16)} UTC).`,
        { retryAfterSeconds: Math.ceil(waitMs / 1000) },
      );
    },
    async forgiveAttempt(attempt) {
      for (const key of keysOf(attempt)) await uncountHit({ db, key });
    },
  };
}

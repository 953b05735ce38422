import { z } from 'zod';
import { usdAmountCents, usdToCents } from '../admin/money.js';

export const centsToUsd = (cents: number): number => cents / 100;
export const bpsToPercent = (bps: number): number => bps / 100;

/**
 * A commission percent (a number, > 0, at most 2 decimals) as basis points. Parsed from its
 * decimal text like a USD amount, so 1e-10 or 10.005 are refused rather than rounded: a rate
 * that rounds to 0 % would quietly pay nothing while 0 itself is refused.
 */
export function percentBpsSchema(opts: { max: number; tooBig: string }) {
  return z
    .number({ error: 'must be a number' })
    .finite('must be a number')
    .positive('must be greater than 0')
    .max(opts.max, opts.tooBig)
    .transform((v, c) => {
      const bps = usdToCents(v);
      if (bps === null) {
        c.addIssue({ code: 'custom', message: 'use at most 2 decimals, e.g. 12.5' });
        return z.NEVER;
      }
      if (bps < 1) {
        c.addIssue({ code: 'custom', message: 'must be at least 0.01' });
        return z.NEVER;
      }
      return bps;
    });
}

/** A payout: the same USD parsing as plan prices (number or string), at least one cent. */
export const payoutCentsSchema = usdAmountCents({ maxCents: 100_000_000, tooBig: 'must be at most 1,000,000' });

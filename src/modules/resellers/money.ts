import { z } from 'zod';

/**
 * A number with at most 2 decimals as an integer count of hundredths (USD → cents,
 * percent → basis points), or null when it carries finer precision: 10.005 is refused,
 * never silently rounded into a different amount.
 */
export function toHundredths(value: number): number | null {
  const n = Math.round(value * 100);
  return Math.abs(n / 100 - value) < 1e-9 ? n : null;
}

export const centsToUsd = (cents: number): number => cents / 100;
export const bpsToPercent = (bps: number): number => bps / 100;

/** A positive amount with up to 2 decimals, parsed to its integer hundredths. */
export function hundredthsSchema(opts: { max: number; tooBig: string }) {
  return z
    .number({ error: 'must be a number' })
    .finite()
    .positive('must be greater than 0')
    .max(opts.max, opts.tooBig)
    .refine((v) => toHundredths(v) !== null, 'use at most 2 decimals')
    .transform((v) => toHundredths(v)!);
}

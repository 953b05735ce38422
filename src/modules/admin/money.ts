// USD as the API speaks it (a number or string with at most 2 decimals) ↔ integer cents as
// the database keeps it. Parsed from the decimal text, never via float multiplication.
import { z } from 'zod';

const USD_PATTERN = /^\d{1,7}(\.\d{1,2})?$/;

/** "29.99" → 2999; null when the value is not a non-negative USD amount with ≤ 2 decimals. */
export function usdToCents(value: number | string): number | null {
  const text = typeof value === 'number' ? (Number.isFinite(value) ? String(value) : '') : value.trim();
  if (!USD_PATTERN.test(text)) return null;
  const [whole, frac = ''] = text.split('.');
  return Number(whole) * 100 + Number(frac.padEnd(2, '0'));
}

export function centsToUsd(cents: number): number {
  return Math.round(cents) / 100;
}

/**
 * A zod field for a positive USD amount (a number or a string), yielding cents. Anything
 * below one cent is refused, never rounded down to $0.
 */
export function usdAmountCents(opts: { maxCents?: number; tooBig?: string } = {}) {
  return z.union([z.number(), z.string()], { error: 'must be a USD amount, e.g. 29.99' }).transform((v, c) => {
    const cents = usdToCents(v);
    if (cents === null) {
      c.addIssue({ code: 'custom', message: 'must be a USD amount with at most 2 decimals, e.g. 29.99' });
      return z.NEVER;
    }
    if (cents < 1) {
      c.addIssue({ code: 'custom', message: 'must be at least 0.01' });
      return z.NEVER;
    }
    if (opts.maxCents !== undefined && cents > opts.maxCents) {
      c.addIssue({ code: 'custom', message: opts.tooBig ?? `must be at most ${centsToUsd(opts.maxCents)}` });
      return z.NEVER;
    }
    return cents;
  });
}

/** A zod field for a positive USD price, yielding cents. */
export const usdPriceCents = usdAmountCents();

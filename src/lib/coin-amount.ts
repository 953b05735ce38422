// Coin amounts arrive as decimal strings or JSON numbers and are stored as plain decimal
// strings. big.js does the arithmetic exactly (float arithmetic would invent dust); the caps
// below keep a hostile amount ("1e120000") from costing more than a real one.
import Big from 'big.js';

/** Longer than any real amount ("0.000461540000000000" is 20): the text is refused before parsing. */
export const MAX_AMOUNT_CHARS = 64;
/** No coin counts past 10^21 units of itself… */
export const MAX_AMOUNT_EXPONENT = 20;
/** …nor in steps finer than 10^-30 (wei, the finest common unit, is 10^-18). */
export const MIN_AMOUNT_DIGIT_EXPONENT = -30;

const DECIMAL = /^\d+(\.\d+)?(e[+-]?\d{1,6})?$/i;

/** A value that claims to be an amount but is not one we accept (negative, absurd, not a number). */
export class InvalidAmountError extends Error {}

/**
 * A JSON number or string as a plain decimal string (never exponent notation, no trailing
 * zeros): null when absent, InvalidAmountError when present but not a sane amount.
 */
export function parseCoinAmount(v: unknown): string | null {
  if (v === null || v === undefined || v === '') return null;
  let text: string;
  if (typeof v === 'number') {
    if (!Number.isFinite(v) || v < 0) throw new InvalidAmountError('not a finite non-negative number');
    // String() is the shortest text that round-trips: what the provider's JSON said, with no
    // float noise (toFixed would print 123456789.123 as 123456789.123000001907).
    text = String(v);
  } else if (typeof v === 'string') {
    text = v.trim();
  } else {
    throw new InvalidAmountError('not a number or a decimal string');
  }
  if (text.length > MAX_AMOUNT_CHARS || !DECIMAL.test(text)) throw new InvalidAmountError('not a decimal amount');
  const amount = new Big(text);
  if (amount.eq(0)) return '0';
  // big.js keeps the exponent and the significant digits apart: both are checked before toFixed
  // spells the number out, so the string built is never longer than about 50 characters.
  if (amount.e > MAX_AMOUNT_EXPONENT || amount.e - (amount.c.length - 1) < MIN_AMOUNT_DIGIT_EXPONENT) {
    throw new InvalidAmountError('amount out of range');
  }
  return amount.toFixed();
}

/** parseCoinAmount, with null for anything that is not a sane amount. */
export function coinAmountOrNull(v: unknown): string | null {
  try {
    return parseCoinAmount(v);
  } catch (err) {
    if (err instanceof InvalidAmountError) return null;
    throw err;
  }
}

/** a − b for decimal strings we stored; null when either is missing. */
export function subtractAmounts(a: string | null | undefined, b: string | null | undefined): string | null {
  if (a == null || b == null) return null;
  return new Big(a).minus(b).toFixed();
}

/** -1, 0 or 1 as a is below, equal to or above b. */
export function compareAmounts(a: string, b: string): number {
  return new Big(a).cmp(b);
}

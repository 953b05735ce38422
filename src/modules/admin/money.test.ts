import { describe, expect, it } from 'vitest';
import { centsToUsd, usdPriceCents, usdToCents } from './money.js';

describe('usdToCents', () => {
  it('converts exactly, without float drift', () => {
    expect(usdToCents(29.99)).toBe(2999);
    expect(usdToCents('0.1')).toBe(10);
    expect(usdToCents(1.15)).toBe(115);
    expect(usdToCents('899')).toBe(89900);
    expect(usdToCents(' 4.05 ')).toBe(405);
  });

  it('refuses more than 2 decimals, negatives, exponents and junk', () => {
    for (const bad of [1.234, '1.001', -5, '-5', '1e3', 'abc', '', Number.NaN, Number.POSITIVE_INFINITY, '1.', '.5']) {
      expect(usdToCents(bad as number | string), String(bad)).toBeNull();
    }
  });

  it('round-trips through centsToUsd', () => {
    expect(centsToUsd(usdToCents('55.10')!)).toBe(55.1);
  });

  it('as a zod field rejects zero with a message', () => {
    expect(usdPriceCents.safeParse(0).success).toBe(false);
    expect(usdPriceCents.parse('0.01')).toBe(1);
  });
});

import { describe, expect, it } from 'vitest';
import { compareAmounts, InvalidAmountError, parseCoinAmount, subtractAmounts } from './coin-amount.js';

describe('coin amounts (big.js)', () => {
  it('keeps what the JSON said, with no float noise', () => {
    expect(parseCoinAmount(123456789.123)).toBe('123456789.123');
    expect(parseCoinAmount(0.1)).toBe('0.1');
    expect(parseCoinAmount(0.00046154)).toBe('0.00046154');
    expect(parseCoinAmount(30)).toBe('30');
    expect(parseCoinAmount(0)).toBe('0');
    expect(parseCoinAmount('0.000461540')).toBe('0.00046154');
    expect(parseCoinAmount(' 12.50 ')).toBe('12.5');
    expect(parseCoinAmount('0.000000000000000001')).toBe('0.000000000000000001');
  });

  it('expands exponents on the digits', () => {
    expect(parseCoinAmount(1.5e-7)).toBe('0.00000015');
    expect(parseCoinAmount(1e-7)).toBe('0.0000001');
    expect(parseCoinAmount(2e20)).toBe('200000000000000000000');
    expect(parseCoinAmount('1.25e3')).toBe('1250');
    expect(parseCoinAmount('1.5E-7')).toBe('0.00000015');
    expect(parseCoinAmount('12e-1')).toBe('1.2');
    expect(parseCoinAmount('0e-999999')).toBe('0');
  });

  it('treats an absent amount as none', () => {
    for (const v of ['', null, undefined]) expect(parseCoinAmount(v)).toBeNull();
  });

  it('refuses what is not an amount', () => {
    for (const v of [-1, Number.NaN, Number.POSITIVE_INFINITY, 'abc', '1,5', {}, [], '-0.1', '1.', '.5', '0x10', true]) {
      expect(() => parseCoinAmount(v), String(v)).toThrow(InvalidAmountError);
    }
  });

  it('refuses absurd sizes at once instead of spelling them out', () => {
    const started = performance.now();
    for (const v of ['1e120000', '1e+999999', '1e-120000', '9'.repeat(65), `0.${'0'.repeat(62)}1`, '1e21', '1e-31', 1e300, 5e-324, '1e1234567']) {
      expect(() => parseCoinAmount(v), String(v)).toThrow(InvalidAmountError);
    }
    // The hand-written module took ~16 s on the first of these alone.
    expect(performance.now() - started).toBeLessThan(1000);
    expect(parseCoinAmount('1e20')).toBe(`1${'0'.repeat(20)}`);
    expect(parseCoinAmount('1e-30')).toBe(`0.${'0'.repeat(29)}1`);
  });

  it('subtracts and compares exactly', () => {
    expect(subtractAmounts('0.3', '0.1')).toBe('0.2');
    expect(subtractAmounts('0.00046154', '0.00023077')).toBe('0.00023077');
    expect(subtractAmounts('0.1', '0.3')).toBe('-0.2');
    expect(subtractAmounts('1.5', '1.5')).toBe('0');
    expect(subtractAmounts(null, '1')).toBeNull();
    expect(subtractAmounts('1', undefined)).toBeNull();
    expect(compareAmounts('0.10', '0.1')).toBe(0);
    expect(compareAmounts('0.1000001', '0.1')).toBe(1);
    expect(compareAmounts('0.09', '0.1')).toBe(-1);
  });
});

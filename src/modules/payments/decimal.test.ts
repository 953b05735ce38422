import { describe, expect, it } from 'vitest';
import { compareDecimal, subtractDecimal, toDecimalString } from './decimal.js';

describe('decimal amounts', () => {
  it('keeps what the JSON said, with no float noise', () => {
    expect(toDecimalString(123456789.123)).toBe('123456789.123');
    expect(toDecimalString(0.1)).toBe('0.1');
    expect(toDecimalString(0.00046154)).toBe('0.00046154');
    expect(toDecimalString(30)).toBe('30');
    expect(toDecimalString('0.000461540')).toBe('0.00046154');
  });

  it('expands exponents on the digits', () => {
    expect(toDecimalString(1.5e-7)).toBe('0.00000015');
    expect(toDecimalString(1e-7)).toBe('0.0000001');
    expect(toDecimalString(2e21)).toBe('2000000000000000000000');
    expect(toDecimalString('1.25e3')).toBe('1250');
    expect(toDecimalString('1.5E-7')).toBe('0.00000015');
    expect(toDecimalString('12e-1')).toBe('1.2');
  });

  it('refuses what is not an amount', () => {
    for (const v of [-1, Number.NaN, Infinity, 'abc', '1,5', '', null, undefined, {}, '-0.1']) expect(toDecimalString(v)).toBeNull();
  });

  it('subtracts and compares exactly', () => {
    expect(subtractDecimal('0.3', '0.1')).toBe('0.2');
    expect(subtractDecimal('0.00046154', '0.00023077')).toBe('0.00023077');
    expect(compareDecimal('0.10', '0.1')).toBe(0);
    expect(compareDecimal('0.1000001', '0.1')).toBe(1);
  });
});

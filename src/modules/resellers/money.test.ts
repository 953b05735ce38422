import { describe, expect, it } from 'vitest';
import { maskEmail } from './mask-email.js';
import { payoutCentsSchema, percentBpsSchema } from './money.js';
import { generateReferralCode, REFERRAL_CODE_PATTERN, referralCodeSchema } from './referral-code.js';

describe('reseller helpers', () => {
  it('parses commission percents to basis points, refusing anything that rounds below 0.01 %', () => {
    const percent = percentBpsSchema({ max: 90, tooBig: 'at most 90' });
    expect(percent.parse(12.25)).toBe(1225);
    expect(percent.parse(90)).toBe(9000);
    expect(percent.parse(0.01)).toBe(1);
    for (const bad of [0, -1, 90.01, 12.345, 1e-10, 0.001, 5.0000000001, Number.NaN, Number.POSITIVE_INFINITY, '10']) {
      expect(percent.safeParse(bad).success, String(bad)).toBe(false);
    }
    expect(percent.safeParse(1e-10).error?.issues[0]?.message).toMatch(/2 decimals/);
  });

  it('parses payouts like plan prices: numbers or strings, at least one cent, at most 1,000,000', () => {
    expect(payoutCentsSchema.parse(5)).toBe(500);
    expect(payoutCentsSchema.parse('5')).toBe(500);
    expect(payoutCentsSchema.parse('2.50')).toBe(250);
    expect(payoutCentsSchema.parse(0.01)).toBe(1);
    expect(payoutCentsSchema.parse(1_000_000)).toBe(100_000_000);
    for (const bad of [0, '0', '0.00', 1e-10, 0.001, -1, 1.005, 1_000_000.01, 'abc', '', Number.NaN, null]) {
      expect(payoutCentsSchema.safeParse(bad).success, String(bad)).toBe(false);
    }
    expect(payoutCentsSchema.safeParse('0.00').error?.issues[0]?.message).toBe('must be at least 0.01');
    expect(payoutCentsSchema.safeParse(1_000_000.01).error?.issues[0]?.message).toBe('must be at most 1,000,000');
  });

  it('masks emails to the first letter and the domain', () => {
    expect(maskEmail('alice@gmail.com')).toBe('a***@gmail.com');
    expect(maskEmail('b@x.io')).toBe('b***@x.io');
    expect(maskEmail(null)).toBeNull();
  });

  it('validates and generates referral codes', () => {
    expect(referralCodeSchema.parse(' Bob_2024 ')).toBe('Bob_2024');
    for (const bad of ['ab', 'a'.repeat(33), 'has space', 'émile', 'a/b']) expect(referralCodeSchema.safeParse(bad).success, bad).toBe(false);
    const codes = new Set(Array.from({ length: 200 }, () => generateReferralCode()));
    expect(codes.size).toBe(200);
    for (const c of codes) expect(c).toMatch(REFERRAL_CODE_PATTERN);
  });
});

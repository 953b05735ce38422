import { describe, expect, it } from 'vitest';
import { hundredthsSchema, toHundredths } from './money.js';
import { maskEmail } from './mask-email.js';
import { REFERRAL_CODE_PATTERN, generateReferralCode, referralCodeSchema } from './referral-code.js';

describe('reseller helpers', () => {
  it('turns 2-decimal numbers into integer hundredths and refuses finer ones', () => {
    expect(toHundredths(12.5)).toBe(1250);
    expect(toHundredths(0.1 + 0.2)).toBe(30);
    expect(toHundredths(19.99)).toBe(1999);
    expect(toHundredths(10.005)).toBeNull();
    expect(toHundredths(1 / 3)).toBeNull();
  });

  it('parses percentages and amounts with a clear message', () => {
    const percent = hundredthsSchema({ max: 90, tooBig: 'at most 90' });
    expect(percent.parse(12.25)).toBe(1225);
    expect(percent.parse(90)).toBe(9000);
    for (const bad of [0, -1, 90.01, 12.345, Number.NaN, '10']) expect(percent.safeParse(bad).success, String(bad)).toBe(false);
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

import { describe, expect, it } from 'vitest';
import { randomCode } from '../../lib/crypto.js';
import { maskSecret } from './mask-secret.js';

describe('maskSecret', () => {
  it('keeps the kind prefix, the dashes and the last four characters of an issued code', () => {
    expect(maskSecret('HQ-M0KD-7K2M-QW3E-9QDX-ABCD-EFGH-JK')).toBe('HQ-••••-••••-••••-••••-••••-•••H-JK');
    expect(maskSecret('LK-AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GG')).toBe('LK-••••-••••-••••-••••-••••-•••F-GG');
  });

  it('shows nothing of a short secret, and keeps no prefix that is not a kind', () => {
    expect(maskSecret('HQ-ABCD-EFGH')).toBe('HQ-••••-••••');
    expect(maskSecret('abcdefghijklmnop')).toBe('••••••••••••mnop');
    expect(maskSecret('x')).toBe('•');
  });

  it('never contains the masked part of a random code', () => {
    for (let i = 0; i < 50; i++) {
      const code = randomCode(i % 2 ? 'HQ' : 'LK');
      const masked = maskSecret(code);
      expect(masked).toHaveLength(code.length);
      expect(masked.slice(3, -4)).toMatch(/^[•-]+$/);
      expect(masked.endsWith(code.slice(-4))).toBe(true);
    }
  });
});

import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decrypt, encrypt, normaliseCode, randomCode } from './crypto.js';

describe('crypto', () => {
  it('round-trips encryption and rejects a tampered ciphertext', () => {
    const key = randomBytes(32);
    const sealed = encrypt('123:ABC', key);
    expect(sealed).not.toContain('123:ABC');
    expect(decrypt(sealed, key)).toBe('123:ABC');
    const parts = sealed.split('.');
    parts[3] = Buffer.from('x').toString('base64url');
    expect(() => decrypt(parts.join('.'), key)).toThrow();
    expect(() => decrypt(sealed, randomBytes(32))).toThrow();
  });

  it('makes codes with at least 100 bits, all different', () => {
    const codes = new Set(Array.from({ length: 1000 }, () => randomCode('HQ')));
    expect(codes.size).toBe(1000);
    const one = [...codes][0]!;
    expect(one).toMatch(/^HQ-([0-9A-Z]{4}-){6}[0-9A-Z]{2}$/);
    // 26 base32 characters = 130 bits for 16 random bytes
    expect(one.replace(/^HQ-|-/g, '').length * 5).toBeGreaterThanOrEqual(128);
    expect(normaliseCode(`  ${one.toLowerCase()} `)).toBe(one);
  });
});

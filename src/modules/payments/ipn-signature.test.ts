import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signIpn, sortKeysDeep, verifyIpnSignature } from './ipn-signature.js';

describe('IPN signature', () => {
  it('sorts keys recursively, arrays kept in order', () => {
    const sorted = sortKeysDeep({ b: 1, a: { d: [{ z: 1, y: 2 }], c: null } });
    expect(JSON.stringify(sorted)).toBe('{"a":{"c":null,"d":[{"y":2,"z":1}]},"b":1}');
  });

  it('is HMAC-SHA512 over the sorted JSON, independent of the key order received', () => {
    const expected = createHmac('sha512', 's3cret').update('{"a":1,"b":{"c":2,"d":3}}').digest('hex');
    expect(signIpn({ b: { d: 3, c: 2 }, a: 1 }, 's3cret')).toBe(expected);
    expect(verifyIpnSignature({ a: 1, b: { c: 2, d: 3 } }, expected, 's3cret')).toBe(true);
    expect(verifyIpnSignature({ a: 1, b: { c: 2, d: 4 } }, expected, 's3cret')).toBe(false);
    expect(verifyIpnSignature({ a: 1 }, undefined, 's3cret')).toBe(false);
    expect(verifyIpnSignature({ a: 1 }, signIpn({ a: 1 }, 'other'), 's3cret')).toBe(false);
  });

  it('refuses a body nested past any real IPN instead of exhausting the stack', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 5000; i++) deep = [deep];
    expect(verifyIpnSignature({ payment_id: 1, x: deep }, 'ab', 's3cret')).toBe(false);
    expect(verifyIpnSignature({ payment_id: 1, x: deep }, undefined, 's3cret')).toBe(false);
  });
});

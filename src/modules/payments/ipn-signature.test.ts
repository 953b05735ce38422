import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { jsonNestingDepth, MAX_IPN_DEPTH, signIpn, sortKeysDeep, verifyIpn } from './ipn-signature.js';

describe('IPN signature', () => {
  it('sorts keys recursively, arrays kept in order', () => {
    const sorted = sortKeysDeep({ b: 1, a: { d: [{ z: 1, y: 2 }], c: null } });
    expect(JSON.stringify(sorted)).toBe('{"a":{"c":null,"d":[{"y":2,"z":1}]},"b":1}');
  });

  it('is HMAC-SHA512 over the sorted JSON, independent of the key order received', () => {
    const expected = createHmac('sha512', 's3cret').update('{"a":1,"b":{"c":2,"d":3}}').digest('hex');
    expect(signIpn({ b: { d: 3, c: 2 }, a: 1 }, 's3cret')).toBe(expected);
    expect(verifyIpn('{"b":{"d":3,"c":2},"a":1}', expected, 's3cret')).toMatchObject({ ok: true, body: { a: 1, b: { c: 2, d: 3 } } });
    expect(verifyIpn('{"a":1,"b":{"c":2,"d":3}}', expected.toUpperCase(), 's3cret').ok).toBe(true);
    expect(verifyIpn('{"a":1,"b":{"c":2,"d":4}}', expected, 's3cret')).toEqual({ ok: false, reason: 'bad_signature' });
    expect(verifyIpn('{"a":1}', signIpn({ a: 1 }, 'other'), 's3cret')).toEqual({ ok: false, reason: 'bad_signature' });
    expect(verifyIpn('{"a":1}', signIpn({ a: 1 }, 's3cret'), '')).toEqual({ ok: false, reason: 'unsigned' });
  });

  it('refuses a header that cannot be a signature before looking at the body', () => {
    for (const sig of [undefined, '', 'ab', 'z'.repeat(128), 'a'.repeat(127), 'a'.repeat(129)]) {
      expect(verifyIpn('{"a":1}', sig, 's3cret')).toEqual({ ok: false, reason: 'unsigned' });
    }
  });

  it('measures nesting in one pass, ignoring brackets inside strings', () => {
    expect(jsonNestingDepth('1')).toBe(0);
    expect(jsonNestingDepth('{"a":[1,{"b":[]}]}')).toBe(4);
    expect(jsonNestingDepth('{"a":"[[[[\\"[[[{{{"}')).toBe(1);
    expect(jsonNestingDepth('['.repeat(100_000))).toBe(100_000);
  });

  it('refuses a body nested past any real IPN, or not a JSON object, without parsing it', () => {
    const sig = 'a'.repeat(128);
    const deep = `{"payment_id":${'['.repeat(20_000)}1${']'.repeat(20_000)}}`;
    expect(verifyIpn(deep, sig, 's3cret')).toEqual({ ok: false, reason: 'too_deep' });
    const atLimit = `${'['.repeat(MAX_IPN_DEPTH - 1)}{"a":1}${']'.repeat(MAX_IPN_DEPTH - 1)}`;
    expect(verifyIpn(atLimit, sig, 's3cret')).toEqual({ ok: false, reason: 'not_json' });
    const objectAtLimit = `{"a":${'['.repeat(MAX_IPN_DEPTH - 1)}1${']'.repeat(MAX_IPN_DEPTH - 1)}}`;
    const signed = signIpn(JSON.parse(objectAtLimit), 's3cret');
    expect(verifyIpn(objectAtLimit, signed, 's3cret').ok).toBe(true);
    for (const raw of ['payment_id=1', '', 'null', '[1]', '"x"']) expect(verifyIpn(raw, sig, 's3cret')).toEqual({ ok: false, reason: 'not_json' });
  });
});

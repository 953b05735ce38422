import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { jsonNestingDepth, MAX_IPN_DEPTH, signedForms, signIpn, sortKeysDeep, verifyIpn } from './ipn-signature.js';

// The payment webhook example in NOWPayments' API documentation ("Webhooks Examples: Payments"),
// byte for byte except the comma the docs lost after "payment_extra_ids":null.
const DOCS_IPN =
  '{"payment_id":123456789,"parent_payment_id":987654321,"invoice_id":null,"payment_status":"finished","pay_address":"address",' +
  '"payin_extra_id":null,"price_amount":1,"price_currency":"usd","pay_amount":15,"actually_paid":15,"actually_paid_at_fiat":0,' +
  '"pay_currency":"trx","order_id":null,"order_description":null,"purchase_id":"123456789","outcome_amount":14.8106,' +
  '"outcome_currency":"trx","payment_extra_ids":null,"fee":{"currency":"btc","depositFee":0.09853637216235617,"withdrawalFee":0,"serviceFee":0}}';
/** The same IPN for a parent with two re-deposits and a non-ASCII description: there the forms differ. */
const DOCS_IPN_WITH_EXTRAS = DOCS_IPN.replace('"payment_extra_ids":null', '"payment_extra_ids":[123456790,123456791]').replace(
  '"order_description":null',
  '"order_description":"Bronze – 30 días"',
);
const DOCS_SECRET = 'np-docs-example-secret';
// Expected signatures computed outside this code: the Python docs' np_signature_check
// (json.dumps(sort_keys=True, separators=(',', ':'))), the official SDK's sortObjectDeep, and
// the docs' two Node snippets (sortObject; JSON.stringify(params, Object.keys(params).sort())).
const VECTORS = {
  plain: {
    sdkAndPython: 'a3b1bce6928654f2c8fd36bff2ad32246999a07005f4be91d4cf0590e77cf7000a3c95b94a84a069e985bf9a2335fcaf1197e5b2931b4dba778fd3534239295e',
    topLevelKeys: '3633ae517e1c09b72df59f45e3e298e805e5cd08fcad00c9c4d240d1108d991f1349f24d417987fcfc89d5ff2f1291a6cd4f23589b134a721141309844c542de',
  },
  withExtras: {
    sdk: '626f218013e8fcdf8fdadcb1041d9859c5e26fd576e4a27c7f0354e048ce96cee80bc6e526ab4098834fbf434569c0e55632fb23c85273b794bbd574bffa867a',
    python: 'ebe76e03e768391f753e4718e5469bb807fcefe3cc26af9826032af9e1c1ef40cc3d5b460c6eb89dc9f22546614da5111a10728eda71723fc248f32e5d9bb14e',
    docsNode: '2f32b3834f0ab148193b5ac85133151d556abc5ac97aed1cf5303232afa9eaf765cf7dc8ebea81da828857024a95939849b19b8cc48dd6d663ab905815ac923f',
    topLevelKeys: 'ecc37f9f4fdcfe3674d1781492e70aca5c70535d8567e03d09ff5cd35afdef395c1007f7cef49577e422ba6c375509bb7436cff9e2c7e93327d539951344ebbd',
  },
};

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

  it("accepts the docs' example IPN signed as the SDK, the Python docs and the docs' Node snippets compute it", () => {
    expect(signIpn(JSON.parse(DOCS_IPN), DOCS_SECRET)).toBe(VECTORS.plain.sdkAndPython);
    expect(verifyIpn(DOCS_IPN, VECTORS.plain.sdkAndPython, DOCS_SECRET)).toMatchObject({ ok: true, form: 'sorted', body: { payment_id: 123456789 } });
    expect(verifyIpn(DOCS_IPN, VECTORS.plain.topLevelKeys, DOCS_SECRET)).toMatchObject({ ok: true, form: 'top_level_keys' });
    // Without arrays or non-ASCII text the SDK, Python and sortObject forms are one string, hashed once.
    expect([...signedForms(JSON.parse(DOCS_IPN))].map(([form]) => form)).toEqual(['sorted', 'top_level_keys']);

    const w = VECTORS.withExtras;
    expect(verifyIpn(DOCS_IPN_WITH_EXTRAS, w.sdk, DOCS_SECRET)).toMatchObject({ ok: true, form: 'sorted' });
    expect(verifyIpn(DOCS_IPN_WITH_EXTRAS, w.python, DOCS_SECRET)).toMatchObject({ ok: true, form: 'sorted_ascii' });
    expect(verifyIpn(DOCS_IPN_WITH_EXTRAS, w.docsNode, DOCS_SECRET)).toMatchObject({ ok: true, form: 'docs_node' });
    expect(verifyIpn(DOCS_IPN_WITH_EXTRAS, w.topLevelKeys, DOCS_SECRET)).toMatchObject({ ok: true, form: 'top_level_keys' });
    expect(new Set(Object.values(w)).size).toBe(4);
  });

  it('still refuses the example under another secret or with a field changed, in every form', () => {
    for (const sig of [...Object.values(VECTORS.plain), ...Object.values(VECTORS.withExtras)]) {
      expect(verifyIpn(DOCS_IPN_WITH_EXTRAS, sig, 'other').ok).toBe(false);
      expect(verifyIpn(DOCS_IPN_WITH_EXTRAS.replace('"actually_paid":15', '"actually_paid":150'), sig, DOCS_SECRET).ok).toBe(false);
    }
    expect(verifyIpn(DOCS_IPN, VECTORS.withExtras.sdk, DOCS_SECRET)).toEqual({ ok: false, reason: 'bad_signature' });
  });
});

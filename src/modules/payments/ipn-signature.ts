// NOWPayments signs an IPN as hex HMAC-SHA512 over JSON.stringify of the body with its
// object keys sorted recursively (SPEC §3). Its own documents describe that string three ways
// that differ on some bodies (see signedForms), so a delivery is accepted in any of them.
// Anyone can post to the webhook, so everything before the comparison must cost little and
// bounded work whatever the body is.
import { createHmac, timingSafeEqual } from 'node:crypto';

/** Deeper than any real IPN (they are two or three levels): a body nested past this is refused. */
export const MAX_IPN_DEPTH = 32;
/** Far more than a real IPN (well under 2 KB); checked while the body is read. */
export const MAX_IPN_BYTES = 16 * 1024;

const SIGNATURE_FORMAT = /^[0-9a-f]{128}$/i;

export class TooDeepError extends Error {}

export function sortKeysDeep(value: unknown, depth = 0): unknown {
  // A forger's deeply nested body must not exhaust the stack before its signature is even checked.
  if (depth > MAX_IPN_DEPTH) throw new TooDeepError(`nested deeper than ${MAX_IPN_DEPTH} levels`);
  if (Array.isArray(value)) return value.map((v) => sortKeysDeep(v, depth + 1));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value as Record<string, unknown>).sort()) {
      out[key] = sortKeysDeep((value as Record<string, unknown>)[key], depth + 1);
    }
    return out;
  }
  return value;
}

/**
 * The docs' Node example (`sortObject`): like sortKeysDeep, but an array is rebuilt as an object
 * keyed "0", "1", … (sorted as text), so `[7, 8]` is signed as `{"0":7,"1":8}`.
 */
export function sortObjectAsDocs(value: unknown, depth = 0): unknown {
  if (depth > MAX_IPN_DEPTH) throw new TooDeepError(`nested deeper than ${MAX_IPN_DEPTH} levels`);
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value as object).sort()) {
    const v = (value as Record<string, unknown>)[key];
    out[key] = v && typeof v === 'object' ? sortObjectAsDocs(v, depth + 1) : v;
  }
  return out;
}

/** Python's json.dumps default (ensure_ascii): everything outside printable ASCII as \uXXXX. */
function asciiEscaped(json: string): string {
  return json.replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export type SignedForm = 'sorted' | 'sorted_ascii' | 'docs_node' | 'top_level_keys';

/**
 * The strings NOWPayments may have signed, most likely first, each once:
 * - `sorted`: keys sorted at every level, arrays kept (the official SDK, and the Python docs'
 *   `json.dumps(sort_keys=True, separators=(',', ':'))`);
 * - `sorted_ascii`: the same as Python writes it by default, non-ASCII escaped;
 * - `docs_node`: the docs' Node `sortObject`, which turns arrays into index-keyed objects
 *   (differs once `payment_extra_ids` lists re-deposits);
 * - `top_level_keys`: the docs' `JSON.stringify(params, Object.keys(params).sort())`, whose
 *   key list also filters nested objects (`fee` becomes `{}`); we read top-level fields only.
 * Cost: at most four serialisations of a body already bounded in size and depth.
 */
export function* signedForms(body: Record<string, unknown>): Generator<[SignedForm, string]> {
  const seen = new Set<string>();
  const candidates: [SignedForm, () => string][] = [
    ['sorted', () => JSON.stringify(sortKeysDeep(body))],
    ['sorted_ascii', () => asciiEscaped(JSON.stringify(sortKeysDeep(body)))],
    ['docs_node', () => JSON.stringify(sortObjectAsDocs(body))],
    ['top_level_keys', () => JSON.stringify(body, Object.keys(body).sort())],
  ];
  for (const [form, make] of candidates) {
    const text = make();
    if (seen.has(text)) continue;
    seen.add(text);
    yield [form, text];
  }
}

const hmacHex = (text: string, secret: string) => createHmac('sha512', secret).update(text).digest('hex');

/** How the fake and the sandbox sign: the SDK's form. */
export function signIpn(body: unknown, secret: string): string {
  return hmacHex(JSON.stringify(sortKeysDeep(body)), secret);
}

/** Whether a header value can be a signature at all: 128 hex digits (SHA-512). */
export function isSignatureFormat(signature: string | undefined): signature is string {
  return typeof signature === 'string' && SIGNATURE_FORMAT.test(signature.trim());
}

/**
 * The deepest nesting of arrays and objects in JSON text, by one pass over its characters
 * (strings skipped), so a hostile body is measured without parsing or recursion.
 */
export function jsonNestingDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: the next character is escaped
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x5b || c === 0x7b) {
      depth++;
      if (depth > max) max = depth;
    } else if (c === 0x5d || c === 0x7d) {
      depth--;
    }
  }
  return max;
}

export type IpnVerification =
  | { ok: true; body: Record<string, unknown>; form: SignedForm }
  | { ok: false; reason: 'unsigned' | 'too_deep' | 'not_json' | 'bad_signature' };

/**
 * Checks a delivery against its signature header, in order of cost: the header's form, the
 * nesting depth (one pass), JSON.parse (native, iterative), then each signed form (bounded
 * by the depth) against a constant-time comparison. The caller has already bounded the size.
 */
export function verifyIpn(rawBody: string, signature: string | undefined, secret: string): IpnVerification {
  if (!secret || !isSignatureFormat(signature)) return { ok: false, reason: 'unsigned' };
  if (jsonNestingDepth(rawBody) > MAX_IPN_DEPTH) return { ok: false, reason: 'too_deep' };
  let body: unknown;
  try {
    body = JSON.parse(rawBody);
  } catch {
    return { ok: false, reason: 'not_json' };
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) return { ok: false, reason: 'not_json' };
  const given = Buffer.from(signature.trim(), 'hex');
  try {
    for (const [form, text] of signedForms(body as Record<string, unknown>)) {
      const expected = Buffer.from(hmacHex(text, secret), 'hex');
      if (given.length === expected.length && timingSafeEqual(expected, given)) return { ok: true, body: body as Record<string, unknown>, form };
    }
  } catch (err) {
    // Cannot happen after the scan above on valid JSON; kept so a miscount is a refusal, not a 500.
    if (err instanceof TooDeepError) return { ok: false, reason: 'too_deep' };
    throw err;
  }
  return { ok: false, reason: 'bad_signature' };
}

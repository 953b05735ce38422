// NOWPayments signs an IPN as hex HMAC-SHA512 over JSON.stringify of the body with its
// object keys sorted recursively (SPEC §3). Anyone can post to the webhook, so everything
// before the comparison must cost little and bounded work whatever the body is.
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

export function signIpn(body: unknown, secret: string): string {
  return createHmac('sha512', secret)
    .update(JSON.stringify(sortKeysDeep(body)))
    .digest('hex');
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

export type IpnVerification = { ok: true; body: Record<string, unknown> } | { ok: false; reason: 'unsigned' | 'too_deep' | 'not_json' | 'bad_signature' };

/**
 * Checks a delivery against its signature header, in order of cost: the header's form, the
 * nesting depth (one pass), JSON.parse (native, iterative), then the canonical form (bounded
 * by the depth) and a constant-time comparison. The caller has already bounded the size.
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
  let expected: Buffer;
  try {
    expected = Buffer.from(signIpn(body, secret), 'hex');
  } catch (err) {
    // Cannot happen after the scan above on valid JSON; kept so a miscount is a refusal, not a 500.
    if (err instanceof TooDeepError) return { ok: false, reason: 'too_deep' };
    throw err;
  }
  const given = Buffer.from(signature.trim(), 'hex');
  if (given.length !== expected.length || !timingSafeEqual(expected, given)) return { ok: false, reason: 'bad_signature' };
  return { ok: true, body: body as Record<string, unknown> };
}

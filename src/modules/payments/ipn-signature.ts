// NOWPayments signs an IPN as hex HMAC-SHA512 over JSON.stringify of the body with its
// object keys sorted recursively (SPEC §3).
import { createHmac } from 'node:crypto';
import { safeEqual } from '../../lib/crypto.js';

/** Deeper than any real IPN (they are two or three levels): a body nested past this is refused. */
export const MAX_IPN_DEPTH = 32;

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

export function verifyIpnSignature(body: unknown, signature: string | undefined, secret: string): boolean {
  if (!signature || !secret) return false;
  try {
    return safeEqual(signIpn(body, secret), signature.trim().toLowerCase());
  } catch (err) {
    if (err instanceof TooDeepError) return false;
    throw err;
  }
}

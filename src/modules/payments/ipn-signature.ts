// NOWPayments signs an IPN as hex HMAC-SHA512 over JSON.stringify of the body with its
// object keys sorted recursively (SPEC §3).
import { createHmac } from 'node:crypto';
import { safeEqual } from '../../lib/crypto.js';

export function sortKeysDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeysDeep);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value as Record<string, unknown>).sort()) {
      out[key] = sortKeysDeep((value as Record<string, unknown>)[key]);
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
  return safeEqual(signIpn(body, secret), signature.trim().toLowerCase());
}

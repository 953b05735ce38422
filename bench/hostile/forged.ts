// The forged IPN catalogue of bench/hostile.ts. Every body claims `finished` for a real,
// unpaid order (so an accepted forgery would show in the database), and none carries a
// signature made with the app's secret: the right answer to each is a 4xx, fast.
import { randomBytes } from 'node:crypto';
import { signIpn } from '../../src/modules/payments/ipn-signature.js';

export type ForgedKind = { name: string; body: string | Uint8Array<ArrayBuffer>; headers: Record<string, string> };

/** Fastify's bodyLimit in src/http/app.ts. */
export const BODY_LIMIT = 256 * 1024;

const json = { 'content-type': 'application/json' };

/** A body of `bytes` bytes: the IPN with a filler field. */
function padTo(body: Record<string, unknown>, bytes: number): Record<string, unknown> {
  const bare = JSON.stringify({ ...body, note: '' }).length;
  return { ...body, note: 'x'.repeat(Math.max(0, bytes - bare)) };
}

/** The body as JSON text with some fields' values replaced by literal JSON text (not expressible as JS values). */
function withRawFields(body: Record<string, unknown>, raw: Record<string, string>): string {
  let text = JSON.stringify(body);
  for (const [key, value] of Object.entries(raw)) {
    const marker = `"${key}":${JSON.stringify(body[key])}`;
    if (!text.includes(marker)) throw new Error(`forged body: no field ${key}`);
    text = text.replace(marker, `"${key}":${value}`);
  }
  return text;
}

/**
 * `victim` is a real IPN body (from the NOWPayments fake) already set to `finished` and fully
 * paid. Each kind is built once and re-sent: the client must not be the bottleneck.
 */
export function forgedKinds(victim: Record<string, unknown>): ForgedKind[] {
  // Well-formed HMAC-SHA512 hex, from the wrong key (the attacker's guess) or from nothing.
  const wrongKey = { ...json, 'x-nowpayments-sig': signIpn(victim, 'not-the-secret') };
  const forgedSig = { ...json, 'x-nowpayments-sig': randomBytes(64).toString('hex') };
  const exact = JSON.stringify(victim);
  const kinds: ForgedKind[] = [
    { name: 'wrong signature', body: exact, headers: wrongKey },
    { name: 'no signature', body: exact, headers: json },
    { name: 'body 250 KiB (under limit)', body: JSON.stringify(padTo(victim, BODY_LIMIT - 6 * 1024)), headers: forgedSig },
    { name: 'body 300 KiB (over limit)', body: JSON.stringify(padTo(victim, 300 * 1024)), headers: forgedSig },
    { name: 'body 4 MiB (over limit)', body: JSON.stringify(padTo(victim, 4 * 1024 * 1024)), headers: forgedSig },
    { name: 'actually_paid "1e120000"', body: JSON.stringify({ ...victim, actually_paid: '1e120000' }), headers: forgedSig },
    {
      name: 'numbers of 100k digits',
      body: withRawFields(victim, { actually_paid: '9'.repeat(100_000), price_amount: `1${'0'.repeat(99_999)}` }),
      headers: forgedSig,
    },
    { name: 'payment_id nested 20,000 deep', body: withRawFields(victim, { payment_id: `${'['.repeat(20_000)}${']'.repeat(20_000)}` }), headers: forgedSig },
    { name: 'random junk', body: new Uint8Array(randomBytes(4096)), headers: { ...forgedSig, 'content-type': 'application/octet-stream' } },
    { name: 'truncated JSON', body: exact.slice(0, Math.floor(exact.length / 2)), headers: forgedSig },
  ];
  return kinds;
}

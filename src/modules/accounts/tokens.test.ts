import { createHmac } from 'node:crypto';
import { SignJWT } from 'jose';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { signSessionToken, verifySessionToken } from './tokens.js';

const secret = 'a-test-secret-of-enough-length-0123456789';
const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
const sign = (h: string, p: string, key = secret) => createHmac('sha256', key).update(`${h}.${p}`).digest('base64url');
const now = () => Math.floor(Date.now() / 1000);

describe('session tokens (node:crypto verify of the tokens jose signs)', () => {
  afterEach(() => vi.useRealTimers());

  it('still lets a token it has verified before expire, and still refuses it under another secret', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-12-01T00:00:00Z'));
    const token = await signSessionToken({ id: 'u9', role: 'customer' }, secret);
    expect(await verifySessionToken(token, secret)).not.toBeNull();
    expect(await verifySessionToken(token, `${secret}-rotated`)).toBeNull();
    vi.setSystemTime(new Date('2026-12-07T23:59:00Z'));
    expect(await verifySessionToken(token, secret)).not.toBeNull();
    vi.setSystemTime(new Date('2026-12-08T00:00:01Z'));
    expect(await verifySessionToken(token, secret)).toBeNull();
  });

  it('accepts what signSessionToken issues, with every claim', async () => {
    const token = await signSessionToken({ id: 'u1', role: 'customer', sessionVersion: 3, checkoutVersion: 2 }, secret);
    const s = await verifySessionToken(token, secret);
    expect(s).toMatchObject({ id: 'u1', role: 'customer', sessionVersion: 3, checkoutVersion: 2 });
    expect(Math.abs(s!.issuedAt - now())).toBeLessThanOrEqual(5);
    expect(await verifySessionToken(await signSessionToken({ id: 'u2', role: 'admin' }, secret), secret)).toMatchObject({
      sessionVersion: 0,
      checkoutVersion: null,
    });
  });

  it('refuses another secret, a changed payload, a re-encoded signature, alg none and other algorithms', async () => {
    const token = await signSessionToken({ id: 'u1', role: 'customer' }, secret);
    const [h, p, s] = token.split('.') as [string, string, string];
    expect(await verifySessionToken(token, `${secret}x`)).toBeNull();
    expect(await verifySessionToken(`${h}.${b64({ sub: 'u1', role: 'admin', exp: now() + 60 })}.${s}`, secret)).toBeNull();
    // The same bytes in a non-canonical spelling (standard base64 padding) are not the signature.
    expect(await verifySessionToken(`${h}.${p}.${Buffer.from(s, 'base64url').toString('base64')}`, secret)).toBeNull();
    const claims = b64({ sub: 'u1', role: 'customer', exp: now() + 60 });
    expect(await verifySessionToken(`${b64({ alg: 'none' })}.${claims}.`, secret)).toBeNull();
    const hs512 = b64({ alg: 'HS512' });
    expect(await verifySessionToken(`${hs512}.${claims}.${sign(hs512, claims)}`, secret)).toBeNull();
    const crit = b64({ alg: 'HS256', crit: ['x'], x: 1 });
    expect(await verifySessionToken(`${crit}.${claims}.${sign(crit, claims)}`, secret)).toBeNull();
    expect(await verifySessionToken('garbage', secret)).toBeNull();
    expect(await verifySessionToken(`${h}.${p}`, secret)).toBeNull();
  });

  it('refuses expired, not-yet-valid, expiry-less and malformed-claim tokens', async () => {
    const key = new TextEncoder().encode(secret);
    const base = () => new SignJWT({ role: 'customer' }).setProtectedHeader({ alg: 'HS256' }).setSubject('u1').setIssuedAt();
    expect(
      await verifySessionToken(
        await base()
          .setExpirationTime(now() - 1)
          .sign(key),
        secret,
      ),
    ).toBeNull();
    expect(
      await verifySessionToken(
        await base()
          .setExpirationTime('1h')
          .setNotBefore(now() + 600)
          .sign(key),
        secret,
      ),
    ).toBeNull();
    expect(await verifySessionToken(await base().sign(key), secret)).toBeNull();
    const h = b64({ alg: 'HS256' });
    for (const bad of [{ sub: 'u1', role: 'root' }, { role: 'customer' }, { sub: 'u1', role: 'customer', sv: 1.5 }, { sub: 'u1', role: 'customer', cv: 'x' }]) {
      const p = b64({ ...bad, exp: now() + 60 });
      expect(await verifySessionToken(`${h}.${p}.${sign(h, p)}`, secret), JSON.stringify(bad)).toBeNull();
    }
  });
});

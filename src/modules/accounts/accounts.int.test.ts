import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/helpers/test-app.js';
import { licenseKeys, orders, plans, users } from '../../db/schema.js';
import { normaliseCode, sha256 } from '../../lib/crypto.js';
import { issueAccessCode } from './issue-access-code.js';
import { issueLicenseKey } from './issue-license-key.js';

describe('accounts: access codes and login', () => {
  let t: TestApp;
  let seq = 0;
  // Each test logs in from its own address: the failure counter is per client IP.
  const from = (ip: string) => ({ 'x-forwarded-for': ip });

  const newCustomer = async (opts: { banned?: boolean } = {}) => {
    const [u] = await t.ctx.db
      .insert(users)
      .values({ email: `c${++seq}-${Date.now()}@example.com`, banned: opts.banned ?? false })
      .returning();
    const code = await t.ctx.db.transaction((tx) => issueAccessCode({ tx, userId: u!.id }));
    return { user: u!, code };
  };

  beforeAll(async () => {
    t = await startTestApp({ env: { RATE_LIMIT_LOGIN_FAILURES: '3' } });
  });
  afterAll(async () => t?.close());

  it('issues a 128-bit code stored only as a hash', async () => {
    const { user, code } = await newCustomer();
    expect(code).toMatch(/^HQ-[0-9A-Z]{4}(-[0-9A-Z]{1,4}){6}$/);
    const [row] = await t.ctx.db.select().from(users).where(eq(users.id, user.id));
    expect(row!.accessCodeHash).toBe(sha256(normaliseCode(code)));
    expect(JSON.stringify(row)).not.toContain(code);
    expect(row!.accessCodeIssuedAt).toBeInstanceOf(Date);
  });

  it('logs in with a pasted code; the token works as Bearer and as the cookie', async () => {
    const { user, code } = await newCustomer();
    const pasted = `  ${code.toLowerCase().replace(/-/g, (d) => ` ${d}`)}\n`;
    const res = await t.api('POST', '/api/auth/login', { accessCode: pasted }, from('10.0.0.1'));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ token: expect.any(String), role: 'customer' });

    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^hqadz_session=/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).toMatch(/Path=\//);

    const viaBearer = await t.api('GET', '/api/auth/me', undefined, { authorization: `Bearer ${res.body.token}` });
    expect(viaBearer.status).toBe(200);
    expect(viaBearer.body).toEqual({ id: user.id, role: 'customer', email: user.email });

    const viaCookie = await t.api('GET', '/api/auth/me', undefined, { cookie: cookie.split(';')[0]! });
    expect(viaCookie.status).toBe(200);
    expect(viaCookie.body.id).toBe(user.id);
  });

  it('answers 401 to a wrong code and to /me without a session', async () => {
    const res = await t.api('POST', '/api/auth/login', { accessCode: 'HQ-NOPE-NOPE-NOPE' }, from('10.0.0.2'));
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: { code: 'unauthorized', message: 'That access code is not valid' } });
    expect(res.headers.get('set-cookie')).toBeNull();

    expect((await t.api('GET', '/api/auth/me')).status).toBe(401);
    expect((await t.api('GET', '/api/auth/me', undefined, { authorization: 'Bearer nonsense' })).status).toBe(401);
  });

  it('rejects a malformed body with 400', async () => {
    for (const body of [{}, { accessCode: '' }, { accessCode: '   ' }, { accessCode: 42 }, { accessCode: 'x'.repeat(201) }]) {
      const res = await t.api('POST', '/api/auth/login', body, from('10.0.0.3'));
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('validation_error');
    }
  });

  it('refuses a banned user with 403 and a message', async () => {
    const { code } = await newCustomer({ banned: true });
    const res = await t.api('POST', '/api/auth/login', { accessCode: code }, from('10.0.0.4'));
    expect(res.status).toBe(403);
    expect(res.body.error.message).toMatch(/suspended/);
  });

  it('rate-limits failed logins per IP, and only failures count', async () => {
    const { code } = await newCustomer();
    // Many successes never lock anyone out.
    for (let i = 0; i < 5; i++) {
      expect((await t.api('POST', '/api/auth/login', { accessCode: code }, from('10.0.1.1'))).status).toBe(200);
    }
    for (let i = 0; i < 3; i++) {
      expect((await t.api('POST', '/api/auth/login', { accessCode: `HQ-WRONG-${i}` }, from('10.0.1.1'))).status).toBe(401);
    }
    const locked = await t.api('POST', '/api/auth/login', { accessCode: 'HQ-WRONG-4' }, from('10.0.1.1'));
    expect(locked.status).toBe(429);
    expect(locked.body.error.code).toBe('rate_limited');
    expect(locked.body.error.message).toMatch(/Try again in 15 minutes/);
    // Even the right code is refused while locked: a guesser learns nothing.
    expect((await t.api('POST', '/api/auth/login', { accessCode: code }, from('10.0.1.1'))).status).toBe(429);
    // Another address is unaffected.
    expect((await t.api('POST', '/api/auth/login', { accessCode: code }, from('10.0.1.2'))).status).toBe(200);
  });

  it('limits failures per account too: guesses at one code from many addresses are slowed', async () => {
    const { code } = await newCustomer();
    // A guesser holding the first part of the code tries endings from a new address each time.
    const known = code.slice(0, 12);
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const guess = `${known}-ZZZZ-ZZZZ-ZZZZ-ZZZ${i}`;
      statuses.push((await t.api('POST', '/api/auth/login', { accessCode: guess }, from(`10.0.3.${i}`))).status);
    }
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
    // Even the right code is refused while that account is locked; other accounts are not.
    expect((await t.api('POST', '/api/auth/login', { accessCode: code }, from('10.0.3.100'))).status).toBe(429);
    const other = await newCustomer();
    expect((await t.api('POST', '/api/auth/login', { accessCode: other.code }, from('10.0.3.101'))).status).toBe(200);
  });

  it('logs out by clearing the cookie', async () => {
    const res = await t.api('POST', '/api/auth/logout');
    expect(res.status).toBe(200);
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^hqadz_session=;/);
    expect(cookie).toMatch(/Expires=Thu, 01 Jan 1970|Max-Age=0/);
  });

  it('logout ends the session on the server: the token is refused afterwards, as cookie and as Bearer', async () => {
    const { code } = await newCustomer();
    const login = await t.api('POST', '/api/auth/login', { accessCode: code }, from('10.0.4.1'));
    expect(login.status).toBe(200);
    const token: string = login.body.token;
    const cookie = { cookie: `hqadz_session=${token}` };
    const bearer = { authorization: `Bearer ${token}` };
    expect((await t.api('GET', '/api/auth/me', undefined, cookie)).status).toBe(200);

    expect((await t.api('POST', '/api/auth/logout', undefined, cookie)).status).toBe(200);
    const after = await t.api('GET', '/api/auth/me', undefined, cookie);
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe('unauthorized');
    expect((await t.api('GET', '/api/auth/me', undefined, bearer)).status).toBe(401);
    // Logging in again gives a working session.
    const again = await t.api('POST', '/api/auth/login', { accessCode: code }, from('10.0.4.1'));
    expect((await t.api('GET', '/api/auth/me', undefined, { authorization: `Bearer ${again.body.token}` })).status).toBe(200);
    // A replayed logout of the old token does not end the new session.
    expect((await t.api('POST', '/api/auth/logout', undefined, bearer)).status).toBe(200);
    expect((await t.api('GET', '/api/auth/me', undefined, { authorization: `Bearer ${again.body.token}` })).status).toBe(200);
  });

  it('rotates: issuing a new code retires the old one', async () => {
    const { user, code } = await newCustomer();
    const next = await t.ctx.db.transaction((tx) => issueAccessCode({ tx, userId: user.id }));
    expect(next).not.toBe(code);
    expect((await t.api('POST', '/api/auth/login', { accessCode: code }, from('10.0.2.1'))).status).toBe(401);
    expect((await t.api('POST', '/api/auth/login', { accessCode: next }, from('10.0.2.1'))).status).toBe(200);
  });

  it('issues one license key per order, hashed with a hint; a retry gets null', async () => {
    const { user } = await newCustomer();
    const [plan] = await t.ctx.db.select().from(plans).where(eq(plans.slug, 'bronze'));
    const [order] = await t.ctx.db
      .insert(orders)
      .values({
        userId: user.id,
        planId: plan!.id,
        kind: 'new',
        planSlug: plan!.slug,
        planName: plan!.name,
        priceCents: plan!.priceCents,
        senders: plan!.senders,
        postingIntervalSeconds: plan!.postingIntervalSeconds,
        validityDays: plan!.validityDays,
        sendersToReserve: plan!.senders,
        payCurrency: 'btc',
      })
      .returning();
    const key = await t.ctx.db.transaction((tx) => issueLicenseKey({ tx, userId: user.id, orderId: order!.id }));
    expect(key).toMatch(/^LK-[0-9A-Z-]+$/);
    const again = await t.ctx.db.transaction((tx) => issueLicenseKey({ tx, userId: user.id, orderId: order!.id }));
    expect(again).toBeNull();
    const rows = await t.ctx.db.select().from(licenseKeys).where(eq(licenseKeys.orderId, order!.id));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.keyHash).toBe(sha256(normaliseCode(key!)));
    expect(rows[0]!.keyHint).toBe(key!.slice(-4));
  });
});

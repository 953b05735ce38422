import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/helpers/test-app.js';
import { orders, users } from '../db/schema.js';
import { issueAccessCode } from '../modules/accounts/issue-access-code.js';

describe('bad input at the edge', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t?.close());

  it('answers a NUL character anywhere in the input with a 400 and creates nothing', async () => {
    const cases: [string, string, unknown][] = [
      ['POST', '/api/payment/create', { email: 'nul@example.com', slug: 'bron\u0000ze', currency: 'btc' }],
      ['POST', '/api/payment/create', { email: 'nul@example.com', slug: 'bronze', currency: 'btc', ref: 'a\u0000b' }],
      ['GET', '/api/payment/status?paymentId=%00', undefined],
      ['POST', '/api/auth/login', { accessCode: 'HQ-\u0000' }],
    ];
    for (const [method, path, body] of cases) {
      const res = await t.api(method, path, body);
      expect(res.status, `${method} ${path}`).toBe(400);
      expect(res.body.error.code).toBe('validation_error');
      expect(res.body.error.message).toMatch(/NUL/);
    }
    expect(await t.ctx.db.select().from(orders)).toHaveLength(0);
  });

  it('answers invalid JSON and wrong content with a 4xx, never a 500', async () => {
    const broken = await t.api('POST', '/api/payment/create', '{"email":', { 'content-type': 'application/json' });
    expect(broken.status).toBe(400);
    const huge = await t.api('POST', '/api/auth/login', { accessCode: 'x'.repeat(300 * 1024) });
    expect(huge.status).toBe(413);
    const text = await t.api('POST', '/api/auth/login', 'code', { 'content-type': 'text/plain' });
    expect(text.status).toBe(400);
    const xml = await t.api('POST', '/api/auth/login', '<code/>', { 'content-type': 'application/xml' });
    expect(xml.status).toBe(415);
  });

  it('answers a malformed URL or an over-long parameter in the same error shape as every 4xx', async () => {
    const cases: [string, string][] = [
      ['GET', '/api/payment/stat%us'],
      ['GET', '/%ZZ'],
      ['PATCH', `/api/admin/adbots/${'a'.repeat(200)}`],
    ];
    for (const [method, path] of cases) {
      const res = await t.api(method, path, method === 'PATCH' ? {} : undefined);
      expect(res.status, path).toBeGreaterThanOrEqual(400);
      expect(res.status, path).toBeLessThan(500);
      expect(Object.keys(res.body), path).toEqual(['error']);
      expect(res.body.error.code, path).toBe('bad_request');
      expect(typeof res.body.error.message, path).toBe('string');
    }
  });

  it('tells a locked-out client when to come back in Retry-After', async () => {
    const ip = { 'x-forwarded-for': '198.51.100.23' };
    for (let i = 0; i < t.ctx.config.rateLimits.loginFailures; i++) {
      expect((await t.api('POST', '/api/auth/login', { accessCode: 'WRONG-CODE' }, ip)).status).toBe(401);
    }
    const locked = await t.api('POST', '/api/auth/login', { accessCode: 'WRONG-CODE' }, ip);
    expect(locked.status).toBe(429);
    const after = Number(locked.headers.get('retry-after'));
    expect(after).toBeGreaterThan(14 * 60);
    expect(after).toBeLessThanOrEqual(15 * 60);
  });

  it('guesses sent all at once get no more tries than the limit, and right codes do not count', async () => {
    const max = t.ctx.config.rateLimits.loginFailures;
    const ip = { 'x-forwarded-for': '198.51.100.24' };
    const statuses = await Promise.all(Array.from({ length: max * 2 }, () => t.api('POST', '/api/auth/login', { accessCode: 'PARALLEL-WRONG-CODE' }, ip)));
    const counted = statuses.map((r) => r.status).sort();
    expect(counted.filter((s) => s === 401)).toHaveLength(max);
    expect(counted.filter((s) => s === 429)).toHaveLength(max);

    // Another address (and another wrong code: that one's account is locked now too):
    // successful logins are taken back, so only the failures add up.
    const [user] = await t.ctx.db.insert(users).values({ email: 'often@example.com' }).returning();
    const code = await t.ctx.db.transaction((tx) => issueAccessCode({ tx, userId: user!.id }));
    const ip2 = { 'x-forwarded-for': '198.51.100.25' };
    const login = (accessCode: string) => t.api('POST', '/api/auth/login', { accessCode }, ip2);
    for (let i = 0; i < max - 1; i++) expect((await login('OTHER-WRONG-CODE')).status).toBe(401);
    for (let i = 0; i < 5; i++) expect((await login(code)).status).toBe(200);
    expect((await login('OTHER-WRONG-CODE')).status).toBe(401);
    expect((await login('OTHER-WRONG-CODE')).status).toBe(429);
  });
});

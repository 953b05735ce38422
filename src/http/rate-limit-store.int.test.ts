import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/helpers/test-app.js';
import { databaseRateLimitStore } from './rate-limit-store.js';

type Result = { current: number; ttl: number };
const incr = (store: { incr(k: string, cb: (e: Error | null, r?: Result) => void, w: number, m: number): void }, key: string, windowMs: number) =>
  new Promise<Result>((resolve, reject) => store.incr(key, (e, r) => (e ? reject(e) : resolve(r!)), windowMs, 10));

describe('the database rate-limit store', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ worker: false });
  });
  afterAll(async () => t?.close());

  it('two stores on one database (two processes) share one count per route and key, and a window ends', async () => {
    const route = { routeInfo: { method: 'POST', url: '/api/payment/create' } };
    const Store = databaseRateLimitStore({ db: t.ctx.db, inMemoryRoutes: ['/api/payment/webhook'] });
    const a = new Store({}).child(route);
    const b = new Store({}).child(route);
    const other = new Store({}).child({ routeInfo: { method: 'POST', url: '/api/auth/login' } });
    expect((await incr(a, '10.0.0.1', 60_000)).current).toBe(1);
    expect((await incr(b, '10.0.0.1', 60_000)).current).toBe(2);
    const third = await incr(a, '10.0.0.1', 60_000);
    expect(third.current).toBe(3);
    expect(third.ttl).toBeGreaterThan(50_000);
    expect(third.ttl).toBeLessThanOrEqual(60_000);
    expect((await incr(b, '10.0.0.2', 60_000)).current).toBe(1);
    expect((await incr(other, '10.0.0.1', 60_000)).current).toBe(1);

    expect((await incr(a, 'short', 200)).current).toBe(1);
    expect((await incr(b, 'short', 200)).current).toBe(2);
    await new Promise((r) => setTimeout(r, 300));
    expect((await incr(a, 'short', 200)).current).toBe(1);

    // The webhook's guard stays in process memory: each process counts its own.
    const hookA = new Store({}).child({ routeInfo: { method: 'POST', url: '/api/payment/webhook' } });
    const hookB = new Store({}).child({ routeInfo: { method: 'POST', url: '/api/payment/webhook' } });
    expect((await incr(hookA, '10.0.0.9', 60_000)).current).toBe(1);
    expect((await incr(hookA, '10.0.0.9', 60_000)).current).toBe(2);
    expect((await incr(hookB, '10.0.0.9', 60_000)).current).toBe(1);
  });
});

describe.skipIf(!process.env.DATABASE_URL)('rate limits across two API processes on one PostgreSQL database', () => {
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    const env = { RATE_LIMIT_CHECKOUT_PER_MINUTE: '2', RATE_LIMIT_LOGIN_FAILURES: '3' };
    a = await startTestApp({ worker: false, env });
    b = await startTestApp({ worker: false, env: { ...env, DATABASE_URL: a.ctx.config.databaseUrl! } });
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  it('a guesser spreading wrong codes over both processes is locked out by both', async () => {
    const ip = { 'x-forwarded-for': '192.0.2.77' };
    for (const app of [a, b, a]) expect((await app.api('POST', '/api/auth/login', { accessCode: 'WRONG-CODE' }, ip)).status).toBe(401);
    for (const app of [b, a]) {
      const res = await app.api('POST', '/api/auth/login', { accessCode: 'WRONG-CODE' }, ip);
      expect(res.status).toBe(429);
      expect(res.body.error.message).toMatch(/^Too many wrong access codes\. Try again in \d+ minutes?/);
    }
  });

  it('checkouts from one address count once across both processes', async () => {
    const ip = { 'x-forwarded-for': '192.0.2.78' };
    const body = { email: 'spread@example.com', slug: 'no-such-plan', currency: 'btc' };
    // Counted per process, B would have seen only two of the three and let the third through.
    expect((await a.api('POST', '/api/payment/create', body, ip)).status).toBe(400);
    expect((await b.api('POST', '/api/payment/create', body, ip)).status).toBe(400);
    expect((await b.api('POST', '/api/payment/create', body, ip)).status).toBe(429);
    expect((await a.api('POST', '/api/payment/create', body, ip)).status).toBe(429);
  });
});

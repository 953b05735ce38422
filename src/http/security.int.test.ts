import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPaidOrder } from '../../test/factories/orders.js';
import { tokenFor } from '../../test/factories/sessions.js';
import { setStock } from '../../test/factories/stock.js';
import { startTestApp, type TestApp } from '../../test/helpers/test-app.js';
import { adbots } from '../db/schema.js';
import { fulfilOrder } from '../modules/fulfilment/fulfil-order.js';

describe('security headers and the same-origin check', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t?.close());

  const runningBot = async (email: string) => {
    await setStock(t.ctx, 3);
    const o = await createPaidOrder(t.ctx, { email, plan: 'bronze' });
    await fulfilOrder({ ctx: t.ctx, orderId: o.orderId });
    await t.ctx.db.update(adbots).set({ status: 'running' }).where(eq(adbots.userId, o.userId));
    const status = async () => (await t.ctx.db.select({ s: adbots.status }).from(adbots).where(eq(adbots.userId, o.userId)))[0]!.s;
    return { cookie: `hqadz_session=${await tokenFor(t.ctx, o.userId)}`, token: await tokenFor(t.ctx, o.userId), status };
  };

  it('sends CSP, X-Frame-Options, nosniff and Referrer-Policy; no HSTS on plain http', async () => {
    const res = await t.api('GET', '/api/health');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("img-src 'self' data:");
    expect(csp).not.toContain('upgrade-insecure-requests');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
    expect(res.headers.get('strict-transport-security')).toBeNull();
  });

  it('refuses a cookie-authenticated text/plain stop from a foreign Origin; the bot keeps running', async () => {
    const bot = await runningBot('csrf-victim@example.com');
    const res = await t.api('POST', '/api/user/bot/stop', 'x', { cookie: bot.cookie, 'content-type': 'text/plain', origin: 'https://evil.example' });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('cross_origin');
    expect(await bot.status()).toBe('running');
    // The Referer speaks for a browser that sent no Origin.
    const byReferer = await t.api('POST', '/api/user/bot/stop', 'x', {
      cookie: bot.cookie,
      'content-type': 'text/plain',
      referer: 'https://evil.example/page',
    });
    expect(byReferer.status).toBe(403);
    expect(await bot.status()).toBe('running');
  });

  it('accepts our own Origin, a Bearer client without the cookie, and a client that sends no Origin', async () => {
    const bot = await runningBot('csrf-own@example.com');
    const own = await t.api('POST', '/api/user/bot/stop', undefined, { cookie: bot.cookie, origin: new URL(t.ctx.config.publicUrl).origin });
    expect(own.status).toBe(200);
    expect(await bot.status()).toBe('stopped');
    await t.ctx.db.update(adbots).set({ status: 'running' }).where(eq(adbots.status, 'stopped'));
    const bearer = await t.api('POST', '/api/user/bot/stop', undefined, { authorization: `Bearer ${bot.token}`, origin: 'https://api-client.example' });
    expect(bearer.status).toBe(200);
    await t.ctx.db.update(adbots).set({ status: 'running' }).where(eq(adbots.status, 'stopped'));
    expect((await t.api('POST', '/api/user/bot/stop', undefined, { cookie: bot.cookie })).status).toBe(200);
    // Reads are never refused for their origin.
    expect((await t.api('GET', '/api/user/bot', undefined, { cookie: bot.cookie, origin: 'https://evil.example' })).status).toBe(200);
  });

  it('the provider webhook (no cookie, no Origin) is not affected', async () => {
    const res = await t.api('POST', '/api/payment/webhook', { payment_id: 1 }, { 'x-nowpayments-sig': 'bad' });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('invalid_signature');
  });
});

describe('security headers on an https install', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { PUBLIC_URL: 'https://hqadz.example' } });
  });
  afterAll(async () => t?.close());

  it('adds HSTS and upgrade-insecure-requests', async () => {
    const res = await t.api('GET', '/api/health');
    expect(res.headers.get('strict-transport-security')).toMatch(/^max-age=31536000/);
    expect(res.headers.get('content-security-policy')).toContain('upgrade-insecure-requests');
  });
});

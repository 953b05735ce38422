import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPaidOrder } from '../../test/factories/orders.js';
import { tokenFor } from '../../test/factories/sessions.js';
import { setStock } from '../../test/factories/stock.js';
import { startTestApp, type TestApp } from '../../test/helpers/test-app.js';
import { users } from '../db/schema.js';
import { issueAccessCode } from '../modules/accounts/issue-access-code.js';
import { fulfilOrder } from '../modules/fulfilment/fulfil-order.js';

describe('session checks on every request', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t?.close());

  it('refuses a still-valid token once the customer is banned, and again accepts it after unbanning', async () => {
    await setStock(t.ctx, 3);
    const o = await createPaidOrder(t.ctx, { email: 'banned@example.com', plan: 'bronze' });
    await fulfilOrder({ ctx: t.ctx, orderId: o.orderId });
    const auth = { authorization: `Bearer ${await tokenFor(t.ctx, o.userId)}` };
    expect((await t.api('GET', '/api/user/status', undefined, auth)).status).toBe(200);

    await t.ctx.db.update(users).set({ banned: true }).where(eq(users.id, o.userId));
    const refused = await t.api('GET', '/api/user/bot', undefined, auth);
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('forbidden');
    expect((await t.api('POST', '/api/user/bot/start', undefined, auth)).status).toBe(403);

    await t.ctx.db.update(users).set({ banned: false }).where(eq(users.id, o.userId));
    expect((await t.api('GET', '/api/user/status', undefined, auth)).status).toBe(200);
  });

  it('ends sessions made before the access code was rotated', async () => {
    const o = await createPaidOrder(t.ctx, { email: 'rotated@example.com', plan: 'bronze' });
    await fulfilOrder({ ctx: t.ctx, orderId: o.orderId });
    const auth = { authorization: `Bearer ${await tokenFor(t.ctx, o.userId)}` };
    expect((await t.api('GET', '/api/user/status', undefined, auth)).status).toBe(200);
    // Rotation comes later than the clock slack allowed between hosts (2 s).
    await new Promise((r) => setTimeout(r, 3100));
    const code = await t.ctx.db.transaction((tx) => issueAccessCode({ tx, userId: o.userId }));
    const old = await t.api('GET', '/api/user/status', undefined, auth);
    expect(old.status).toBe(401);
    expect(old.body.error.message).toMatch(/access code was changed/);
    const login = await t.api('POST', '/api/auth/login', { accessCode: code });
    expect(login.status).toBe(200);
    expect((await t.api('GET', '/api/user/status', undefined, { authorization: `Bearer ${login.body.token}` })).status).toBe(200);
  });

  it('uses the role stored now, not the one in the token', async () => {
    const o = await createPaidOrder(t.ctx, { email: 'elevate@example.com', plan: 'bronze' });
    // A token claiming admin for a customer account gets no admin access.
    const forged = { authorization: `Bearer ${await tokenFor(t.ctx, o.userId, 'admin')}` };
    expect((await t.api('GET', '/api/admin/senders', undefined, forged)).status).toBe(403);
  });

  it('rejects a token for a user that no longer exists', async () => {
    const ghost = { authorization: `Bearer ${await tokenFor(t.ctx, '00000000-0000-4000-8000-000000000000')}` };
    expect((await t.api('GET', '/api/user/status', undefined, ghost)).status).toBe(401);
  });
});

describe('client address', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { TRUST_PROXY: 'false', RATE_LIMIT_LOGIN_FAILURES: '2' } });
  });
  afterAll(async () => t?.close());

  it('ignores X-Forwarded-For unless TRUST_PROXY is set, so a client cannot dodge the login limit', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const res = await t.api('POST', '/api/auth/login', { accessCode: 'HQ-WRONG-CODE' }, { 'x-forwarded-for': `10.9.9.${i}` });
      statuses.push(res.status);
    }
    expect(statuses).toEqual([401, 401, 429, 429]);
  });
});

describe('client address behind a proxy that is not ours', () => {
  let t: TestApp;
  beforeAll(async () => {
    // Our peer is 127.0.0.1, not the listed proxy: its X-Forwarded-For must be ignored.
    t = await startTestApp({ env: { TRUST_PROXY: '10.20.30.40,192.168.0.0/16', RATE_LIMIT_LOGIN_FAILURES: '2' } });
  });
  afterAll(async () => t?.close());

  it('rotating X-Forwarded-For from an untrusted peer does not get past the lockout', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      // A different code each time, so only the per-address limit can stop them.
      const res = await t.api('POST', '/api/auth/login', { accessCode: `HQ-${i}${i}${i}${i}-WRONG` }, { 'x-forwarded-for': `10.9.8.${i}` });
      statuses.push(res.status);
    }
    expect(statuses).toEqual([401, 401, 429, 429, 429, 429]);
  });
});

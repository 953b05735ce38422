import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeNowPayments, startFakeNowPayments } from '../../../test/fakes/nowpayments.js';
import { startTestApp, type TestApp } from '../../../test/helpers/test-app.js';

const ADMIN_CODE = 'HEALTH-ADMIN-CODE-0123456789';

describe('payment provider health on the admin overview', () => {
  let np: FakeNowPayments;
  let t: TestApp;
  let admin: Record<string, string>;
  beforeAll(async () => {
    np = await startFakeNowPayments();
    t = await startTestApp({ worker: false, env: { ...np.env(), ADMIN_ACCESS_CODE: ADMIN_CODE } });
    const login = await t.api('POST', '/api/auth/login', { accessCode: ADMIN_CODE });
    admin = { authorization: `Bearer ${login.body.token}` };
  });
  afterAll(async () => {
    await t?.close();
    await np?.close();
  });

  it('says NOWPayments is down when GET /status fails, and asks it at most once a minute', async () => {
    np.failNext(503, '/status');
    const first = await t.api('GET', '/api/admin/overview', undefined, admin);
    expect(first.status).toBe(200);
    expect(first.body.paymentProvider).toMatchObject({ name: 'nowpayments', testMode: false, reachable: false });
    expect(Date.parse(first.body.paymentProvider.checkedAt)).toBeGreaterThan(Date.now() - 60_000);

    const asked = np.requests.filter((r) => r.path === '/status').length;
    const again = await t.api('GET', '/api/admin/overview', undefined, admin);
    expect(again.body.paymentProvider).toEqual(first.body.paymentProvider);
    expect(np.requests.filter((r) => r.path === '/status')).toHaveLength(asked);
    expect(asked).toBe(1);
  });
});

describe('payment provider health in test mode', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ worker: false, env: { ADMIN_ACCESS_CODE: ADMIN_CODE } });
  });
  afterAll(async () => t?.close());

  it('reports the sandbox, always reachable', async () => {
    const login = await t.api('POST', '/api/auth/login', { accessCode: ADMIN_CODE });
    const res = await t.api('GET', '/api/admin/overview', undefined, { authorization: `Bearer ${login.body.token}` });
    expect(res.body.paymentProvider).toMatchObject({ name: 'sandbox', testMode: true, reachable: true });
  });
});

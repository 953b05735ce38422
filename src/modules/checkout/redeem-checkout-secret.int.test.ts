import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshEmail } from '../../../test/factories/ids.js';
import { checkout } from '../../../test/factories/orders.js';
import { sandboxSenders } from '../../../test/factories/stock.js';
import { startTestApp, type TestApp } from '../../../test/helpers/test-app.js';
import { orders, users } from '../../db/schema.js';
import { encrypt } from '../../lib/crypto.js';
import { hashAccessCode } from '../accounts/issue-access-code.js';
import { verifySessionToken } from '../accounts/tokens.js';

describe('POST /api/auth/checkout (one-time checkout secret)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ worker: false, env: { RATE_LIMIT_CHECKOUT_PER_MINUTE: '1000' } });
    await sandboxSenders(t, 10);
  });
  afterAll(async () => t?.close());

  const buy = async () => {
    const res = await checkout(t, { email: freshEmail('secret'), slug: 'bronze', currency: 'btc' });
    expect(res.status).toBe(201);
    return res.body as { orderId: string; checkoutSecret: string };
  };
  /** What fulfilment leaves behind on a first purchase: the code sealed into the order is the account's. */
  const fulfil = async (orderId: string, code: string | null) => {
    const [order] = await t.ctx.db
      .update(orders)
      .set({ status: 'fulfilled', pendingAccessCode: code ? encrypt(code, t.ctx.config.encryptionKey) : null })
      .where(eq(orders.id, orderId))
      .returning({ userId: orders.userId });
    if (code)
      await t.ctx.db
        .update(users)
        .set({ accessCodeHash: hashAccessCode(code), accessCodeIssuedAt: new Date() })
        .where(eq(users.id, order!.userId));
  };
  const redeem = (checkoutSecret: unknown) => t.api('POST', '/api/auth/checkout', { checkoutSecret });

  it('is 409 before fulfilment, then logs in once with the access code, then 410', async () => {
    const { orderId, checkoutSecret } = await buy();
    const early = await redeem(checkoutSecret);
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe('not_ready');

    await fulfil(orderId, 'HQ-TEST-CODE-0001');
    const ok = await redeem(checkoutSecret);
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ role: 'customer', accessCode: 'HQ-TEST-CODE-0001' });
    const user = await verifySessionToken(ok.body.token, t.ctx.config.jwtSecret);
    const [order] = await t.ctx.db.select().from(orders).where(eq(orders.id, orderId));
    expect(user).toMatchObject({ id: order!.userId, role: 'customer' });
    expect(order!.pendingAccessCode).toBeNull();
    expect(order!.checkoutSecretUsedAt).toBeInstanceOf(Date);
    const cookie = ok.headers.get('set-cookie') ?? '';
    expect(cookie).toContain(`hqadz_session=${ok.body.token}`);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).toMatch(/Path=\//);

    const second = await redeem(checkoutSecret);
    expect(second.status).toBe(410);
    expect(second.body.error.code).toBe('gone');
  });

  it('lets only one of two concurrent redemptions through', async () => {
    const { orderId, checkoutSecret } = await buy();
    await fulfil(orderId, 'HQ-TEST-CODE-0002');
    const results = await Promise.all([redeem(checkoutSecret), redeem(checkoutSecret), redeem(checkoutSecret)]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 410, 410]);
  });

  it('never logs in through a renewal: 409 pointing to the access code, and the link stays unused', async () => {
    const renewal = await buy();
    // Fulfilment issued no access code: the email already had an account.
    await fulfil(renewal.orderId, null);
    const r = await redeem(renewal.checkoutSecret);
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('conflict');
    expect(r.body.error.message).toMatch(/already has an HQAdz account.*access code/);
    expect(r.body.token).toBeUndefined();
    expect(r.headers.get('set-cookie')).toBeNull();
    const [order] = await t.ctx.db.select().from(orders).where(eq(orders.id, renewal.orderId));
    expect(order!.checkoutSecretUsedAt).toBeNull();
  });

  it("a stranger paying for an existing customer's email cannot open that account", async () => {
    const email = freshEmail('victim');
    const first = await checkout(t, { email, slug: 'bronze', currency: 'btc' });
    await fulfil(first.body.orderId, 'HQ-TEST-CODE-VICT');
    expect((await redeem(first.body.checkoutSecret)).status).toBe(200);
    // The attacker starts a second checkout for the same email (another coin: a fresh order and secret).
    const attack = await checkout(t, { email, slug: 'bronze', currency: 'ltc' });
    expect(attack.status).toBe(201);
    expect(attack.body.checkoutSecret).toBeTruthy();
    await fulfil(attack.body.orderId, null);
    const r = await redeem(attack.body.checkoutSecret);
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('conflict');
    expect(r.body.token).toBeUndefined();
  });

  it('is 410 for an order that expired, failed or was refunded', async () => {
    for (const status of ['expired', 'failed', 'refunded'] as const) {
      const o = await buy();
      await t.ctx.db.update(orders).set({ status }).where(eq(orders.id, o.orderId));
      const r = await redeem(o.checkoutSecret);
      expect(r.status).toBe(410);
      expect(r.body.error.code).toBe('gone');
    }
  });

  it('is 410 after 24 h, 401 for an unknown secret, 400 for none', async () => {
    const old = await buy();
    await fulfil(old.orderId, 'HQ-TEST-CODE-0003');
    await t.ctx.db
      .update(orders)
      .set({ checkoutSecretExpiresAt: new Date(Date.now() - 1000) })
      .where(eq(orders.id, old.orderId));
    expect((await redeem(old.checkoutSecret)).status).toBe(410);

    expect((await redeem('not-a-real-secret')).status).toBe(401);
    expect((await redeem('')).status).toBe(400);
    expect((await t.api('POST', '/api/auth/checkout', {})).status).toBe(400);
  });

  it('never hands out a secret again for a resumed payment', async () => {
    const email = freshEmail('resume');
    const first = await checkout(t, { email, slug: 'bronze', currency: 'sol' });
    const again = await checkout(t, { email, slug: 'bronze', currency: 'sol' });
    expect(first.body.checkoutSecret).toBeTruthy();
    expect(again.status).toBe(200);
    expect(again.body.checkoutSecret).toBeNull();
  });
});

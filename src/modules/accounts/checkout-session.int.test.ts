// Issue 9, "whoever owns the inbox owns the account", black-box: a stranger pays for the owner's
// email and opens the account through the checkout's one-time panel; the owner's own paid order
// ends that session and mails a fresh access code (secure-account-on-payment.ts states the rule).
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { freshEmail, freshIp } from '../../../test/factories/ids.js';
import { accessCodeFrom, checkout, loadOrder, waitForOrderStatus } from '../../../test/factories/orders.js';
import { bearer, logIn } from '../../../test/factories/sessions.js';
import { setStock } from '../../../test/factories/stock.js';
import { type FakeSmtp, startFakeSmtp } from '../../../test/fakes/smtp.js';
import { startTestApp, type TestApp } from '../../../test/helpers/test-app.js';
import { users } from '../../db/schema.js';
import { signSessionToken } from './tokens.js';

describe('a checkout-secret session ends when another order for the email is paid', () => {
  let smtp: FakeSmtp;
  let t: TestApp;
  beforeAll(async () => {
    smtp = await startFakeSmtp();
    t = await startTestApp({ env: { SMTP_URL: smtp.url, RATE_LIMIT_CHECKOUT_PER_MINUTE: '1000' } });
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });

  const start = async (email: string, slug = 'bronze', currency = 'btc') => {
    const res = await checkout(t, { email, slug, currency });
    expect(res.status).toBe(201);
    return res.body as { orderId: string; paymentId: string; checkoutSecret: string };
  };
  const pay = async (o: { orderId: string; paymentId: string }) => {
    expect((await t.api('POST', '/api/payment/simulate', { paymentId: o.paymentId, status: 'finished' })).status).toBe(200);
    return waitForOrderStatus(t.ctx, o.orderId, 'fulfilled');
  };
  const redeem = (o: { checkoutSecret: string }) => t.api('POST', '/api/auth/checkout', { checkoutSecret: o.checkoutSecret });
  const status = (auth: Record<string, string>) => t.api('GET', '/api/user/status', undefined, auth);
  const login = (accessCode: string) => t.api('POST', '/api/auth/login', { accessCode }, { 'x-forwarded-for': freshIp() });
  /** The fulfilment email of an order as the inbox received it (in full, unlike the stored copy). */
  const inbox = async (email: string, orderId: string) => {
    const { orderNumber } = (await loadOrder(t.ctx, orderId)).order;
    return vi.waitFor(
      () => {
        const mail = smtp.messages.find((m) => m.to.includes(email) && m.text.includes(`order #${orderNumber}.`));
        expect(mail, `email for order #${orderNumber}`).toBeDefined();
        return mail!;
      },
      { timeout: 15_000, interval: 100 },
    );
  };

  it("the stranger's session and code end when the owner's order (checked out later) is paid; the owner's inbox gets a fresh code", async () => {
    await setStock(t.ctx, 1);
    const email = freshEmail('owner-late');
    const stranger = await start(email);
    await pay(stranger);
    const opened = await redeem(stranger);
    expect(opened.status).toBe(200);
    const strangerAuth = bearer(opened.body.token);
    const oldCode: string = opened.body.accessCode;
    expect((await status(strangerAuth)).status).toBe(200);

    const owner = await start(email);
    await pay(owner);
    const ended = await status(strangerAuth);
    expect(ended.status).toBe(401);
    expect(ended.body.error).toMatchObject({ code: 'unauthorized', message: expect.stringMatching(/checkout session has ended.*another order/) });
    expect((await login(oldCode)).status).toBe(401);

    // Checked out when the email already had an account: its panel shows no code (anyone may pay
    // for a known email); the inbox has the fresh one, and it works.
    const panel = await redeem(owner);
    expect(panel.status).toBe(409);
    expect(panel.body.error.code).toBe('conflict');
    const mail = await inbox(email, owner.orderId);
    const freshCode = accessCodeFrom(mail.text)!;
    expect(freshCode).toMatch(/^HQ-/);
    expect(freshCode).not.toBe(oldCode);
    expect(mail.text).toContain('Your access code has changed');
    const ownerLogin = await logIn(t, freshCode);
    expect((await status(ownerLogin.auth)).body).toMatchObject({ email, planStatus: 'active' });
  });

  it("an owner's order checked out before the account existed: its one-time panel shows the fresh code, the same as the email", async () => {
    await setStock(t.ctx, 2);
    const email = freshEmail('owner-early');
    const stranger = await start(email, 'bronze', 'btc');
    const owner = await start(email, 'bronze', 'ltc');
    await pay(stranger);
    const opened = await redeem(stranger);
    expect(opened.status).toBe(200);

    await pay(owner);
    expect((await status(bearer(opened.body.token))).status).toBe(401);
    const panel = await redeem(owner);
    expect(panel.status).toBe(200);
    expect(panel.body.accessCode).not.toBe(opened.body.accessCode);
    expect(accessCodeFrom((await inbox(email, owner.orderId)).text)).toBe(panel.body.accessCode);
    expect((await status(bearer(panel.body.token))).status).toBe(200);
    expect((await login(opened.body.accessCode)).status).toBe(401);
  });

  it("a stranger's panel not yet opened when the owner pays is dead: its code was rotated", async () => {
    await setStock(t.ctx, 1);
    const email = freshEmail('unopened');
    const stranger = await start(email);
    await pay(stranger);
    const owner = await start(email);
    await pay(owner);
    const late = await redeem(stranger);
    expect(late.status).toBe(409);
    expect(late.body.token).toBeUndefined();
    expect(accessCodeFrom((await inbox(email, owner.orderId)).text)).toMatch(/^HQ-/);
  });

  it('rotates once: a later order leaves access-code log-ins alone and mails no code; only checkout sessions end', async () => {
    await setStock(t.ctx, 1);
    const email = freshEmail('rotate-once');
    const first = await start(email);
    const paidFirst = await pay(first);
    const opened = await redeem(first);
    const second = await start(email);
    await pay(second);
    const code = accessCodeFrom((await inbox(email, second.orderId)).text)!;
    expect(code).not.toBe(opened.body.accessCode);
    const loggedIn = await logIn(t, code);
    const [{ checkoutSessionVersion: before }] = (await userVersions(paidFirst.userId)) as [{ checkoutSessionVersion: number }];
    // A checkout session opened now (as the panel would sign it), and one from before the next order.
    const checkoutToken = await signSessionToken({ id: paidFirst.userId, role: 'customer', checkoutVersion: before }, t.ctx.config.jwtSecret);

    const third = await start(email);
    await pay(third);
    expect((await status(loggedIn.auth)).status).toBe(200);
    expect(accessCodeFrom((await inbox(email, third.orderId)).text)).toBeNull();
    expect((await login(code)).status).toBe(200);
    const ended = await status(bearer(checkoutToken));
    expect(ended.status).toBe(401);
    expect(ended.body.error.message).toMatch(/checkout session has ended/);
    const [{ checkoutSessionVersion: after }] = (await userVersions(paidFirst.userId)) as [{ checkoutSessionVersion: number }];
    expect(after).toBe(before + 1);
    const current = await signSessionToken({ id: paidFirst.userId, role: 'customer', checkoutVersion: after }, t.ctx.config.jwtSecret);
    expect((await status(bearer(current))).status).toBe(200);
  });

  const userVersions = (userId: string) => t.ctx.db.select({ checkoutSessionVersion: users.checkoutSessionVersion }).from(users).where(eq(users.id, userId));
});

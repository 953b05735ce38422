import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { accessCodeFrom, emailsTo } from '../../../test/factories/orders.js';
import { setStock } from '../../../test/factories/stock.js';
import { startTestApp, type TestApp } from '../../../test/helpers/test-app.js';
import { maskSecret } from '../../platform/notifications/mask-secret.js';

// The whole path through the real routes: checkout (test mode), simulated payment, the
// fulfil-order job, the checkout-secret login, and the emailed code — all agreeing.
describe('purchase to dashboard', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { RATE_LIMIT_CHECKOUT_PER_MINUTE: '100' } });
  });
  afterAll(async () => t?.close());

  it('a paid Silver checkout becomes a working adbot the paying browser and the email can both open', async () => {
    await setStock(t.ctx, 2);
    const created = await t.api('POST', '/api/payment/create', { email: 'flow@example.com', slug: 'silver', currency: 'btc' });
    expect(created.status).toBe(201);
    const sim = await t.api('POST', '/api/payment/simulate', { paymentId: created.body.paymentId, status: 'finished' });
    expect(sim.status).toBe(200);
    await vi.waitFor(async () => expect((await t.api('GET', `/api/payment/status?paymentId=${created.body.paymentId}`)).body.orderStatus).toBe('fulfilled'), {
      timeout: 15_000,
      interval: 100,
    });

    const redeemed = await t.api('POST', '/api/auth/checkout', { checkoutSecret: created.body.checkoutSecret });
    expect(redeemed.status).toBe(200);
    const mail = await vi.waitFor(
      async () => {
        // The fulfilment email, not the receipt queued with the payment.
        const queued = (await emailsTo(t.ctx, 'flow@example.com')).find((m) => m.dedupeKey?.endsWith(':fulfilled'));
        expect(queued).toBeDefined();
        return queued!;
      },
      { timeout: 10_000, interval: 100 },
    );
    // The stored copy of the email holds the same code, masked (the customer's copy has it in full).
    expect(accessCodeFrom(mail.bodyText)).toBe(maskSecret(redeemed.body.accessCode));

    const login = await t.api('POST', '/api/auth/login', { accessCode: redeemed.body.accessCode });
    const auth = { authorization: `Bearer ${login.body.token}` };
    const bot = await t.api('GET', '/api/user/bot', undefined, auth);
    expect(bot.body).toMatchObject({ status: 'stopped', planName: 'Silver', postingIntervalSeconds: 1800 });
    expect(bot.body.senders).toHaveLength(2);
    await t.api('PUT', '/api/user/bot', { post: { type: 'text', text: 'Hello <b>world</b>' }, chats: ['@flow_group'] }, auth);
    expect((await t.api('POST', '/api/user/bot/start', undefined, auth)).body.status).toBe('running');
  });
});

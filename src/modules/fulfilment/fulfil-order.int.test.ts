import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { accessCodeFrom, adbotOf, createPaidOrder, emailsTo } from '../../../test/factories/orders.js';
import { setStock } from '../../../test/factories/stock.js';
import { startTestApp, type TestApp } from '../../../test/helpers/test-app.js';
import { commissions, emails, licenseKeys, notifications, orders, senders, users } from '../../db/schema.js';
import { decrypt } from '../../lib/crypto.js';
import { maskSecret } from '../../platform/notifications/mask-secret.js';
import { createReseller } from '../resellers/create-reseller.js';
import { fulfilOrder } from './fulfil-order.js';

const DAY = 86_400_000;

describe('fulfilment', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t?.close());

  it('Bronze gives 1 sender and a 3600 s interval, Silver 2 and 1800 s; the first purchase gets an access code by email', async () => {
    await setStock(t.ctx, 5);
    const bronze = await createPaidOrder(t.ctx, { email: 'bronze@example.com', plan: 'bronze' });
    const silver = await createPaidOrder(t.ctx, { email: 'silver@example.com', plan: 'silver' });
    const before = Date.now();
    expect(await fulfilOrder({ ctx: t.ctx, orderId: bronze.orderId })).toBe('fulfilled');
    expect(await fulfilOrder({ ctx: t.ctx, orderId: silver.orderId })).toBe('fulfilled');

    for (const [o, count, interval] of [
      [bronze, 1, 3600],
      [silver, 2, 1800],
    ] as const) {
      const { bot, senders: held } = await adbotOf(t.ctx, o.userId);
      expect(bot).toMatchObject({ status: 'stopped', senderCount: count, postingIntervalSeconds: interval });
      expect(held).toHaveLength(count);
      expect(held.every((s) => s.state === 'assigned')).toBe(true);
      expect(bot!.expiresAt.getTime()).toBeGreaterThanOrEqual(before + 30 * DAY - 1000);
      expect(bot!.expiresAt.getTime()).toBeLessThanOrEqual(Date.now() + 30 * DAY + 1000);

      const [order] = await t.ctx.db.select().from(orders).where(eq(orders.id, o.orderId));
      expect(order!.status).toBe('fulfilled');
      expect(order!.fulfilledAt).toBeTruthy();
      const [mail] = await emailsTo(t.ctx, order!.userId === bronze.userId ? 'bronze@example.com' : 'silver@example.com');
      // The paying browser gets the code through the checkout secret; the stored email only its mask.
      const code = decrypt(order!.pendingAccessCode!, t.ctx.config.encryptionKey);
      expect(code).toMatch(/^HQ-/);
      expect(accessCodeFrom(mail!.bodyText)).toBe(maskSecret(code));
      expect(mail!.bodyText).toContain(`${t.ctx.config.publicUrl}/dashboard`);
      expect(mail!.bodyText).toMatch(/^License key: LK-/m);
      const [user] = await t.ctx.db.select().from(users).where(eq(users.id, o.userId));
      expect(user!.accessCodeHash).toBeTruthy();
      expect(await t.ctx.db.select().from(licenseKeys).where(eq(licenseKeys.orderId, o.orderId))).toHaveLength(1);
      const notes = await t.ctx.db.select().from(notifications).where(eq(notifications.userId, o.userId));
      expect(notes.map((n) => n.dedupeKey)).toEqual([`order:${o.orderId}:fulfilled`]);
    }
    // No email server configured: the send-email job files it in the outbox.
    await vi.waitFor(async () => expect((await emailsTo(t.ctx, 'silver@example.com'))[0]?.status).toBe('outbox'), { timeout: 10_000, interval: 100 });
  });

  it('the customer logs in with the access code from the email and sees the active bot', async () => {
    await setStock(t.ctx, 2);
    const o = await createPaidOrder(t.ctx, { email: 'login@example.com', plan: 'bronze' });
    await t.ctx.jobs.send('fulfil-order', { orderId: o.orderId });
    const mail = await vi.waitFor(
      async () => {
        const [filed] = await emailsTo(t.ctx, 'login@example.com');
        expect(filed?.status).toBe('outbox');
        return filed!;
      },
      { timeout: 15_000, interval: 100 },
    );
    // The stored email holds the code masked: log in with the one sealed for the paying browser.
    const [order] = await t.ctx.db.select().from(orders).where(eq(orders.id, o.orderId));
    const code = decrypt(order!.pendingAccessCode!, t.ctx.config.encryptionKey);
    expect(accessCodeFrom(mail!.bodyText)).toBe(maskSecret(code));
    const login = await t.api('POST', '/api/auth/login', { accessCode: ` ${code.toLowerCase()} ` });
    expect(login.status).toBe(200);
    expect(login.body.role).toBe('customer');
    const auth = { authorization: `Bearer ${login.body.token}` };
    const status = await t.api('GET', '/api/user/status', undefined, auth);
    expect(status.status).toBe(200);
    expect(status.body).toMatchObject({ email: 'login@example.com', planStatus: 'active', accountBanned: false, notificationCount: 1 });
    expect(status.body.plan).toMatchObject({ slug: 'bronze', name: 'Bronze', senders: 1, postingIntervalSeconds: 3600 });
    const bot = await t.api('GET', '/api/user/bot', undefined, auth);
    expect(bot.status).toBe(200);
    expect(bot.body).toMatchObject({ status: 'stopped', planName: 'Bronze', postingIntervalSeconds: 3600, post: null, chats: [] });
    expect(bot.body.senders).toHaveLength(1);
    expect(bot.body.senders[0]).toMatchObject({ state: 'assigned' });
    expect(Object.keys(bot.body.senders[0])).not.toContain('tokenEncrypted');
  });

  it('buying Silver again extends the expiry by 30 days from the current expiry and keeps the senders', async () => {
    await setStock(t.ctx, 2);
    const first = await createPaidOrder(t.ctx, { email: 'renew@example.com', plan: 'silver' });
    await fulfilOrder({ ctx: t.ctx, orderId: first.orderId });
    const before = await adbotOf(t.ctx, first.userId);
    const renewal = await createPaidOrder(t.ctx, { email: 'renew@example.com', plan: 'silver' });
    expect(await fulfilOrder({ ctx: t.ctx, orderId: renewal.orderId })).toBe('fulfilled');
    const after = await adbotOf(t.ctx, first.userId);
    expect(after.bot!.expiresAt.getTime()).toBe(before.bot!.expiresAt.getTime() + 30 * DAY);
    expect(after.senders.map((s) => s.id).sort()).toEqual(before.senders.map((s) => s.id).sort());
    const mails = await emailsTo(t.ctx, 'renew@example.com');
    expect(mails).toHaveLength(2);
    const renewalMail = mails.find((m) => m.dedupeKey === `order:${renewal.orderId}:fulfilled`)!;
    expect(accessCodeFrom(renewalMail.bodyText)).toBeNull();
    expect(renewalMail.bodyText).toContain(`New expiry: ${after.bot!.expiresAt.toISOString().slice(0, 16).replace('T', ' ')} UTC`);
    const [order] = await t.ctx.db.select().from(orders).where(eq(orders.id, renewal.orderId));
    expect(order!.pendingAccessCode).toBeNull();
  });

  it('buying Gold while on Silver leaves 3 senders and a 1200 s interval; a smaller plan paid later never lowers it', async () => {
    await setStock(t.ctx, 3);
    const silver = await createPaidOrder(t.ctx, { email: 'upgrade@example.com', plan: 'silver' });
    await fulfilOrder({ ctx: t.ctx, orderId: silver.orderId });
    const onSilver = await adbotOf(t.ctx, silver.userId);
    const gold = await createPaidOrder(t.ctx, { email: 'upgrade@example.com', plan: 'gold' });
    expect(await fulfilOrder({ ctx: t.ctx, orderId: gold.orderId })).toBe('fulfilled');
    const onGold = await adbotOf(t.ctx, silver.userId);
    expect(onGold.bot).toMatchObject({ senderCount: 3, postingIntervalSeconds: 1200 });
    expect(onGold.senders).toHaveLength(3);
    expect(onGold.senders.map((s) => s.id)).toEqual(expect.arrayContaining(onSilver.senders.map((s) => s.id)));
    expect(onGold.bot!.expiresAt.getTime()).toBe(onSilver.bot!.expiresAt.getTime() + 30 * DAY);

    // Checkout refuses this downgrade while the plan is active (create-checkout.int.test.ts); an
    // admin-made order can still pay for it: Gold stays, with Bronze's $30 as round(30 × 30/80) = 11 days.
    const bronze = await createPaidOrder(t.ctx, { email: 'upgrade@example.com', plan: 'bronze' });
    expect(await fulfilOrder({ ctx: t.ctx, orderId: bronze.orderId })).toBe('fulfilled');
    const stillGold = await adbotOf(t.ctx, silver.userId);
    expect(stillGold.bot).toMatchObject({ planId: onGold.bot!.planId, senderCount: 3, postingIntervalSeconds: 1200 });
    expect(stillGold.senders.map((s) => s.id).sort()).toEqual(onGold.senders.map((s) => s.id).sort());
    expect(stillGold.bot!.expiresAt.getTime()).toBe(onGold.bot!.expiresAt.getTime() + 11 * DAY);
    const [order] = await t.ctx.db.select().from(orders).where(eq(orders.id, bronze.orderId));
    expect(order).toMatchObject({ status: 'fulfilled', creditedDays: 11 });
  });

  it('books the reseller commission once per order', async () => {
    await setStock(t.ctx, 2);
    const [admin] = await t.ctx.db.select().from(users).where(eq(users.role, 'admin'));
    const { reseller } = await createReseller({
      db: t.ctx.db,
      adminUserId: admin!.id,
      email: 'reseller-c@example.com',
      commissionBps: 1500,
      referralCode: 'CREF',
    });
    const o = await createPaidOrder(t.ctx, { email: 'referred@example.com', plan: 'silver', resellerId: reseller.id });
    await fulfilOrder({ ctx: t.ctx, orderId: o.orderId });
    await fulfilOrder({ ctx: t.ctx, orderId: o.orderId });
    const rows = await t.ctx.db.select().from(commissions).where(eq(commissions.orderId, o.orderId));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.amountCents).toBe(825);
  });

  it('ignores orders that are not paid', async () => {
    const [u] = await t.ctx.db.insert(users).values({ email: 'pending@example.com' }).returning();
    const o = await createPaidOrder(t.ctx, { email: 'pending@example.com', plan: 'bronze', reserve: false });
    await t.ctx.db.update(orders).set({ status: 'pending' }).where(eq(orders.id, o.orderId));
    expect(await fulfilOrder({ ctx: t.ctx, orderId: o.orderId })).toBe('not_payable');
    expect((await adbotOf(t.ctx, u!.id)).bot).toBeUndefined();
    expect(await t.ctx.db.select().from(emails).where(eq(emails.toAddress, 'pending@example.com'))).toHaveLength(0);
  });

  it('a Gold renewal with one banned sender and no stock extends the expiry (the banned one keeps its slot)', async () => {
    await setStock(t.ctx, 3);
    const first = await createPaidOrder(t.ctx, { email: 'banned-renew@example.com', plan: 'gold' });
    expect(await fulfilOrder({ ctx: t.ctx, orderId: first.orderId })).toBe('fulfilled');
    const before = await adbotOf(t.ctx, first.userId);
    await t.ctx.db.update(senders).set({ state: 'banned' }).where(eq(senders.id, before.senders[0]!.id));
    await setStock(t.ctx, 0);

    const renewal = await createPaidOrder(t.ctx, { email: 'banned-renew@example.com', plan: 'gold' });
    expect(await fulfilOrder({ ctx: t.ctx, orderId: renewal.orderId })).toBe('fulfilled');
    const after = await adbotOf(t.ctx, first.userId);
    expect(after.bot!.expiresAt.getTime()).toBe(before.bot!.expiresAt.getTime() + 30 * DAY);
    expect(after.bot!.senderCount).toBe(3);
    expect(after.senders).toHaveLength(3);
    const [order] = await t.ctx.db.select().from(orders).where(eq(orders.id, renewal.orderId));
    expect(order).toMatchObject({ status: 'fulfilled', backordered: false });
  });
});

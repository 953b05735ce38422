import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestApp, type TestApp } from '../../../test/helpers/test-app.js';
import { activityLog, adbots, commissions, emails, licenseKeys, notifications, orders, payments, resellers, senders, users } from '../../db/schema.js';
import { decrypt } from '../../lib/crypto.js';
import { maskSecret } from '../../platform/notifications/mask-secret.js';
import { applyPaymentStatus } from '../payments/apply-payment-status.js';
import { addSenders } from '../stock/add-senders.js';
import { reserveSenders } from '../stock/reserve-senders.js';
import { fulfilBackorders } from './fulfil-backorders.js';
import { fulfilOrder } from './fulfil-order.js';
import { accessCodeFrom, adbotOf, addStock, createPaidOrder, emailsTo, setStock } from './test-fixtures.js';

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
    await eventually(async () => (await emailsTo(t.ctx, 'silver@example.com'))[0]?.status === 'outbox', 10_000, 'outbox');
  });

  it('the fulfil-order job provisions a paid order, and a duplicate run provisions once', async () => {
    await setStock(t.ctx, 4);
    const o = await createPaidOrder(t.ctx, { email: 'dup@example.com', plan: 'silver' });
    await t.ctx.jobs.send('fulfil-order', { orderId: o.orderId });
    await t.ctx.jobs.send('fulfil-order', { orderId: o.orderId });
    const results = await Promise.all([fulfilOrder({ ctx: t.ctx, orderId: o.orderId }), fulfilOrder({ ctx: t.ctx, orderId: o.orderId })]);
    expect(results.filter((r) => r === 'fulfilled').length).toBeLessThanOrEqual(1);
    await eventually(async () => {
      const [order] = await t.ctx.db.select().from(orders).where(eq(orders.id, o.orderId));
      return order!.status === 'fulfilled';
    });
    // Let both queued jobs finish before counting.
    await eventually(async () => {
      const { rows } = await t.ctx.database.executor.executeSql(
        `select count(*)::int as n from pgboss.job where name = 'fulfil-order' and data->>'orderId' = $1 and state in ('created','retry','active')`,
        [o.orderId],
      );
      return rows[0]!.n === 0;
    });
    expect(await fulfilOrder({ ctx: t.ctx, orderId: o.orderId })).toBe('already_fulfilled');
    const bots = await t.ctx.db.select().from(adbots).where(eq(adbots.userId, o.userId));
    expect(bots).toHaveLength(1);
    expect(await t.ctx.db.select().from(senders).where(eq(senders.adbotId, bots[0]!.id))).toHaveLength(2);
    expect(await emailsTo(t.ctx, 'dup@example.com')).toHaveLength(1);
    expect(await t.ctx.db.select().from(notifications).where(eq(notifications.userId, o.userId))).toHaveLength(1);
    expect(await t.ctx.db.select().from(licenseKeys).where(eq(licenseKeys.orderId, o.orderId))).toHaveLength(1);
  });

  it('a worker killed after the senders were assigned leaves nothing half-done, and the rerun provisions exactly once', async () => {
    await setStock(t.ctx, 3);
    const o = await createPaidOrder(t.ctx, { email: 'crash@example.com', plan: 'silver' });
    await expect(
      fulfilOrder({
        ctx: t.ctx,
        orderId: o.orderId,
        afterSendersAssigned: () => {
          throw new Error('worker killed');
        },
      }),
    ).rejects.toThrow('worker killed');
    expect((await adbotOf(t.ctx, o.userId)).bot).toBeUndefined();
    const [order] = await t.ctx.db.select().from(orders).where(eq(orders.id, o.orderId));
    expect(order!.status).toBe('paid');
    expect(
      await t.ctx.db
        .select()
        .from(senders)
        .where(and(eq(senders.orderId, o.orderId), eq(senders.state, 'reserved'))),
    ).toHaveLength(2);
    expect(await emailsTo(t.ctx, 'crash@example.com')).toHaveLength(0);

    expect(await fulfilOrder({ ctx: t.ctx, orderId: o.orderId })).toBe('fulfilled');
    expect(await fulfilOrder({ ctx: t.ctx, orderId: o.orderId })).toBe('already_fulfilled');
    const bots = await t.ctx.db.select().from(adbots).where(eq(adbots.userId, o.userId));
    expect(bots).toHaveLength(1);
    const held = await t.ctx.db.select().from(senders).where(eq(senders.adbotId, bots[0]!.id));
    expect(held).toHaveLength(2);
    expect(await emailsTo(t.ctx, 'crash@example.com')).toHaveLength(1);
  });

  it('the customer logs in with the access code from the email and sees the active bot', async () => {
    await setStock(t.ctx, 2);
    const o = await createPaidOrder(t.ctx, { email: 'login@example.com', plan: 'bronze' });
    await t.ctx.jobs.send('fulfil-order', { orderId: o.orderId });
    const mail = await eventually(async () => (await emailsTo(t.ctx, 'login@example.com')).find((e) => e.status === 'outbox'), 15_000, 'outbox email');
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

  it('buying Gold while on Silver leaves 3 senders and a 1200 s interval; a downgrade returns the surplus to stock', async () => {
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
    // admin-made order can still do it, and fulfilment handles it safely.
    const bronze = await createPaidOrder(t.ctx, { email: 'upgrade@example.com', plan: 'bronze' });
    expect(await fulfilOrder({ ctx: t.ctx, orderId: bronze.orderId })).toBe('fulfilled');
    const onBronze = await adbotOf(t.ctx, silver.userId);
    expect(onBronze.bot).toMatchObject({ senderCount: 1, postingIntervalSeconds: 3600 });
    expect(onBronze.senders).toHaveLength(1);
    const released = onGold.senders.filter((s) => !onBronze.senders.some((b) => b.id === s.id)).map((s) => s.id);
    for (const id of released) {
      const [s] = await t.ctx.db.select().from(senders).where(eq(senders.id, id));
      expect(s).toMatchObject({ state: 'unused', adbotId: null });
    }
  });

  it('a paid order with no stock is back-ordered, admins are alerted, and it is fulfilled when stock arrives', async () => {
    await setStock(t.ctx, 0);
    const o = await createPaidOrder(t.ctx, { email: 'late@example.com', plan: 'silver', reserve: false });
    expect(await fulfilOrder({ ctx: t.ctx, orderId: o.orderId })).toBe('backordered');
    expect(await fulfilOrder({ ctx: t.ctx, orderId: o.orderId })).toBe('backordered');
    const [order] = await t.ctx.db.select().from(orders).where(eq(orders.id, o.orderId));
    expect(order).toMatchObject({ status: 'paid', backordered: true });
    expect((await adbotOf(t.ctx, o.userId)).bot).toBeUndefined();
    const admins = await t.ctx.db.select().from(users).where(eq(users.role, 'admin'));
    expect(admins.length).toBeGreaterThan(0);
    for (const admin of admins) {
      const alerts = await t.ctx.db.select().from(notifications).where(eq(notifications.userId, admin.id));
      expect(alerts.filter((n) => n.dedupeKey === `order:${o.orderId}:backordered`)).toHaveLength(1);
    }
    expect(
      await t.ctx.db
        .select()
        .from(activityLog)
        .where(and(eq(activityLog.action, 'order.backordered'), eq(activityLog.subjectId, o.orderId))),
    ).toHaveLength(1);

    // One sender is not enough: the order holds it and waits.
    await addStock(t.ctx, 1);
    expect(await fulfilBackorders({ ctx: t.ctx })).toEqual({ fulfilled: 0, waiting: 1 });
    // Stock arrives through the admin path, which enqueues fulfil-backorders.
    const added = await addSenders({ ctx: t.ctx, tokens: ['sandbox:c_backorder_arrival'] });
    expect(added.added.length).toBe(1);
    await eventually(
      async () => {
        const [o2] = await t.ctx.db.select().from(orders).where(eq(orders.id, o.orderId));
        return o2!.status === 'fulfilled';
      },
      15_000,
      'back-ordered order fulfilled',
    );
    const { bot, senders: held } = await adbotOf(t.ctx, o.userId);
    expect(bot!.senderCount).toBe(2);
    expect(held).toHaveLength(2);
    const [done] = await t.ctx.db.select().from(orders).where(eq(orders.id, o.orderId));
    expect(done!.backordered).toBe(false);
  });

  it('books the reseller commission once per order', async () => {
    await setStock(t.ctx, 2);
    const [ru] = await t.ctx.db.insert(users).values({ email: 'reseller-c@example.com', role: 'reseller' }).returning();
    const [reseller] = await t.ctx.db.insert(resellers).values({ userId: ru!.id, referralCode: 'CREF', commissionBps: 1500 }).returning();
    const o = await createPaidOrder(t.ctx, { email: 'referred@example.com', plan: 'silver', resellerId: reseller!.id });
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

  it('a back-ordered order is fulfilled as soon as a reservation is released, with no admin action', async () => {
    await setStock(t.ctx, 2);
    // Someone else's unpaid checkout holds the last two senders.
    const holder = await createPaidOrder(t.ctx, { email: 'holder@example.com', plan: 'silver' });
    await t.ctx.db.update(orders).set({ status: 'pending', paidAt: null }).where(eq(orders.id, holder.orderId));
    const providerPaymentId = `test-${holder.orderId}`;
    await t.ctx.db
      .insert(payments)
      .values({ orderId: holder.orderId, provider: 'sandbox', status: 'waiting', payCurrency: 'btc', priceCents: 5500, providerPaymentId });

    const waiting = await createPaidOrder(t.ctx, { email: 'waiting@example.com', plan: 'silver', reserve: false });
    expect(await fulfilOrder({ ctx: t.ctx, orderId: waiting.orderId })).toBe('backordered');

    // New checkouts cannot take the senders the paid order is waiting for.
    const buyer = await createPaidOrder(t.ctx, { email: 'newbuyer@example.com', plan: 'bronze', reserve: false });
    await addStock(t.ctx, 2);
    await expect(t.ctx.db.transaction((tx) => reserveSenders({ tx, orderId: buyer.orderId, count: 1 }))).rejects.toMatchObject({ code: 'out_of_stock' });
    await addStock(t.ctx, 1);
    await t.ctx.db.transaction((tx) => reserveSenders({ tx, orderId: buyer.orderId, count: 1 }));
    await setStock(t.ctx, 0);

    // The holder's invoice expires: its senders go back to stock and the paid order takes them.
    expect((await applyPaymentStatus({ ctx: t.ctx, providerPaymentId, status: 'expired', source: 'poll' })).verdict).toBe('applied');
    await eventually(
      async () => {
        const [o] = await t.ctx.db.select().from(orders).where(eq(orders.id, waiting.orderId));
        return o!.status === 'fulfilled';
      },
      15_000,
      'back-ordered order fulfilled after the release',
    );
    expect((await adbotOf(t.ctx, waiting.userId)).senders).toHaveLength(2);
  });
});

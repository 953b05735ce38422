import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adbotOf, createPaidOrder } from '../../../test/factories/orders.js';
import { tokenFor } from '../../../test/factories/sessions.js';
import { setStock } from '../../../test/factories/stock.js';
import { startTestApp, type TestApp } from '../../../test/helpers/test-app.js';
import { adbots, emails, notifications, senders } from '../../db/schema.js';
import { fulfilOrder } from './fulfil-order.js';
import { runExpiry } from './run-expiry.js';

const DAY = 86_400_000;

describe('expiry', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t?.close());

  async function activeBot(email: string, plan = 'silver') {
    await setStock(t.ctx, 3);
    const o = await createPaidOrder(t.ctx, { email, plan });
    await fulfilOrder({ ctx: t.ctx, orderId: o.orderId });
    const { bot, senders: held } = await adbotOf(t.ctx, o.userId);
    const auth = { authorization: `Bearer ${await tokenFor(t.ctx, o.userId)}` };
    // A bot that is ready to post, so start is refused only because of the plan.
    const put = await t.api('PUT', '/api/user/bot', { post: { type: 'text', text: 'Hello' }, chats: ['@somegroup'] }, auth);
    expect(put.status).toBe(200);
    return { userId: o.userId, bot: bot!, senderIds: held.map((s) => s.id).sort(), auth };
  }

  const remindersOf = async (userId: string) =>
    (await t.ctx.db.select().from(notifications).where(eq(notifications.userId, userId))).filter((n) => n.kind === 'expiry_reminder');

  it('reminds 3 days and 1 day before expiry, once each, and a renewal arms the reminders again', async () => {
    const { userId, bot } = await activeBot('remind@example.com');
    const exp = bot.expiresAt.getTime();
    await runExpiry({ ctx: t.ctx, now: new Date(exp - 4 * DAY) });
    expect(await remindersOf(userId)).toHaveLength(0);
    await runExpiry({ ctx: t.ctx, now: new Date(exp - 3 * DAY + 60_000) });
    await runExpiry({ ctx: t.ctx, now: new Date(exp - 2 * DAY) });
    expect((await remindersOf(userId)).map((n) => n.title)).toEqual(['Your plan expires in 3 days']);
    await runExpiry({ ctx: t.ctx, now: new Date(exp - DAY + 60_000) });
    await runExpiry({ ctx: t.ctx, now: new Date(exp - 60_000) });
    expect((await remindersOf(userId)).map((n) => n.title).sort()).toEqual(['Your plan expires in 1 day', 'Your plan expires in 3 days']);
    const mails = await t.ctx.db.select().from(emails).where(eq(emails.toAddress, 'remind@example.com'));
    expect(mails.filter((m) => m.subject.startsWith('Your plan expires'))).toHaveLength(2);

    const renewal = await createPaidOrder(t.ctx, { email: 'remind@example.com', plan: 'silver' });
    await fulfilOrder({ ctx: t.ctx, orderId: renewal.orderId, now: new Date(exp - 60_000) });
    const [renewed] = await t.ctx.db.select().from(adbots).where(eq(adbots.userId, userId));
    expect(renewed!.expiresAt.getTime()).toBe(exp + 30 * DAY);
    await runExpiry({ ctx: t.ctx, now: new Date(exp + 30 * DAY - 3 * DAY + 60_000) });
    expect(await remindersOf(userId)).toHaveLength(3);
  });

  it('at expiresAt the bot stops and becomes expired, and start gives 409', async () => {
    const { userId, bot, auth } = await activeBot('expire@example.com');
    expect((await t.api('POST', '/api/user/bot/start', undefined, auth)).status).toBe(200);
    expect((await t.api('GET', '/api/user/bot', undefined, auth)).body.status).toBe('running');

    await runExpiry({ ctx: t.ctx, now: new Date(bot.expiresAt.getTime() - 1000) });
    expect((await adbotOf(t.ctx, userId)).bot!.status).toBe('running');
    const res = await runExpiry({ ctx: t.ctx, now: new Date(bot.expiresAt.getTime()) });
    expect(res.expired).toBeGreaterThanOrEqual(1);
    expect((await adbotOf(t.ctx, userId)).bot!.status).toBe('expired');
    const start = await t.api('POST', '/api/user/bot/start', undefined, auth);
    expect(start.status).toBe(409);
    expect(start.body.error.code).toBe('plan_inactive');
    expect((await t.api('GET', '/api/user/status', undefined, auth)).body.planStatus).toBe('expired');
    // Senders are kept during the grace period.
    expect((await adbotOf(t.ctx, userId)).senders).toHaveLength(2);
  });

  it('after the grace period the senders return to stock; a renewal inside the grace period keeps them', async () => {
    const lapsed = await activeBot('lapsed@example.com');
    const kept = await activeBot('kept@example.com');
    const exp = Math.max(lapsed.bot.expiresAt.getTime(), kept.bot.expiresAt.getTime());
    await runExpiry({ ctx: t.ctx, now: new Date(exp + 1000) });

    // Inside grace (2 days after expiry): renew.
    const renewal = await createPaidOrder(t.ctx, { email: 'kept@example.com', plan: 'silver' });
    const renewedAt = new Date(exp + 2 * DAY);
    expect(await fulfilOrder({ ctx: t.ctx, orderId: renewal.orderId, now: renewedAt })).toBe('fulfilled');
    const afterRenewal = await adbotOf(t.ctx, kept.userId);
    expect(afterRenewal.bot).toMatchObject({ status: 'stopped' });
    expect(afterRenewal.bot!.expiresAt.getTime()).toBe(renewedAt.getTime() + 30 * DAY);

    const graceDays = t.ctx.config.expiryGraceDays;
    const res = await runExpiry({ ctx: t.ctx, now: new Date(exp + graceDays * DAY + 1000) });
    expect(res.released).toBeGreaterThanOrEqual(1);

    const gone = await adbotOf(t.ctx, lapsed.userId);
    expect(gone.senders).toHaveLength(0);
    expect(gone.bot!.sendersReleasedAt).toBeTruthy();
    for (const id of lapsed.senderIds) {
      const [s] = await t.ctx.db.select().from(senders).where(eq(senders.id, id));
      expect(s).toMatchObject({ state: 'unused', adbotId: null, orderId: null });
    }
    const stay = await adbotOf(t.ctx, kept.userId);
    expect(stay.senders.map((s) => s.id).sort()).toEqual(kept.senderIds);
    expect(stay.bot!.sendersReleasedAt).toBeNull();

    // Coming back after the grace period: fresh senders from stock, bot usable again.
    await setStock(t.ctx, 2);
    const comeback = await createPaidOrder(t.ctx, { email: 'lapsed@example.com', plan: 'silver' });
    expect(await fulfilOrder({ ctx: t.ctx, orderId: comeback.orderId })).toBe('fulfilled');
    const back = await adbotOf(t.ctx, lapsed.userId);
    expect(back.senders).toHaveLength(2);
    expect(back.bot).toMatchObject({ status: 'stopped', sendersReleasedAt: null });
    expect((await t.api('POST', '/api/user/bot/start', undefined, lapsed.auth)).status).toBe(200);
  });
});

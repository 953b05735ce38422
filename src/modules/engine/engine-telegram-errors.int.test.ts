import { and, eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buyAdbot } from '../../../test/factories/adbots.js';
import { nextChatId } from '../../../test/factories/ids.js';
import { adminToken } from '../../../test/factories/sessions.js';
import { telegramSenders } from '../../../test/factories/stock.js';
import type { FakeTelegram } from '../../../test/fakes/telegram.js';
import { type EngineSuite, startEngineSuite } from '../../../test/helpers/engine-suite.js';
import type { TestApp } from '../../../test/helpers/test-app.js';
import { adbots, notifications, senders, users } from '../../db/schema.js';
import { processBackorders } from '../../jobs/handlers.js';
import { runEngineTick } from './run-engine-tick.js';
import { SendLimiter } from './send-limiter.js';

describe('posting engine: what Telegram errors do', () => {
  let engine: EngineSuite;
  let t: TestApp;
  let tg: FakeTelegram;
  beforeAll(async () => {
    engine = await startEngineSuite();
    ({ t, tg } = engine);
  });
  afterEach(async () => engine.reset());
  afterAll(async () => engine?.close());

  it('403 marks the chat no_access and stops posting there until the customer re-checks', async () => {
    const id = nextChatId();
    tg.addChat({ id, type: 'supergroup', title: 'Kicky' });
    const bot = await buyAdbot(t, tg, { email: 'kicked@example.com', chats: [String(id)] });
    const s = bot.senders[0]!;
    tg.addMember(id, s.botId);
    const t0 = engine.slotStart(bot.intervalSeconds);
    await engine.tick(t0);
    await engine.tick(new Date(t0.getTime() + 1000));
    expect(tg.messagesIn(id)).toHaveLength(1);

    tg.kickBot(id, s.botId);
    const step = bot.intervalSeconds * 1000;
    const r = await engine.tick(new Date(t0.getTime() + 1000 + step));
    expect(r.failed).toBe(1);
    let [chat] = await engine.chatsOf(bot.adbotId);
    expect(chat).toMatchObject({ status: 'no_access' });
    expect(chat!.lastError).toContain(`@${s.username}`);
    expect(chat!.lastError).toContain('Re-check');
    const sendsBefore = tg.callsOf('sendMessage').length;
    await engine.tick(new Date(t0.getTime() + 1000 + 2 * step));
    await engine.tick(new Date(t0.getTime() + 1000 + 3 * step));
    expect(tg.callsOf('sendMessage').length).toBe(sendsBefore);

    // Re-check while still kicked keeps it no_access; after the admin adds the bot back it posts again.
    let re = await t.api('POST', '/api/user/bot/chats/recheck', undefined, bot.auth);
    expect(re.status).toBe(200);
    expect(re.body.chats[0].status).toBe('no_access');
    tg.addMember(id, s.botId);
    re = await t.api('POST', '/api/user/bot/chats/recheck', undefined, bot.auth);
    expect(re.body.chats[0]).toMatchObject({ status: 'ok', lastError: null });
    expect((await engine.tick(new Date(t0.getTime() + 1000 + 4 * step))).sent).toBe(1);
    [chat] = await engine.chatsOf(bot.adbotId);
    expect(chat!.status).toBe('ok');
    expect(tg.messagesIn(id)).toHaveLength(2);
  });

  it('a 429 from one chat pauses that chat for retry_after, not the bot; then it posts', async () => {
    const id = nextChatId();
    tg.addChat({ id, type: 'supergroup' });
    const bot = await buyAdbot(t, tg, { email: 'flood@example.com', chats: [String(id)] });
    const s = bot.senders[0]!;
    tg.addMember(id, s.botId);
    const step = bot.intervalSeconds * 1000;
    const t0 = engine.slotStart(bot.intervalSeconds);
    await engine.tick(t0);
    const wait = Math.round((step * 1.4) / 1000);
    tg.rateLimit(s.token, wait);
    const r = await engine.tick(new Date(t0.getTime() + 1000));
    expect(r).toMatchObject({ deferred: 1, failed: 0 });
    // One chat's limit: the sender keeps working for its other chats.
    const [sender] = await t.ctx.db.select().from(senders).where(eq(senders.id, s.id));
    expect(sender!.state).toBe('assigned');
    // Nothing was posted, so no post row: the slot is served after the wait instead of lost.
    expect(await engine.postsOf(bot.adbotId)).toHaveLength(0);
    const [chat] = await engine.chatsOf(bot.adbotId);
    expect(chat!.lastError).toMatch(/Rate-limited/);
    expect(chat!.nextPostAt!.getTime()).toBe(t0.getTime() + 1000 + wait * 1000);

    // Before the wait is over: nothing is sent into the chat.
    expect((await engine.tick(new Date(t0.getTime() + wait * 1000))).due).toBe(0);
    expect(tg.messagesIn(id)).toHaveLength(0);
    const r2 = await runEngineTick({ ctx: t.ctx, clock: () => new Date(t0.getTime() + 2000 + wait * 1000), limiter: new SendLimiter({ perChatGapMs: 0 }) });
    expect(r2).toMatchObject({ sent: 1 });
    expect(tg.messagesIn(id)).toHaveLength(1);
  });

  it('a migrated group gets its new chat id and the post lands there', async () => {
    const old = nextChatId('group');
    tg.addChat({ id: old, type: 'group', title: 'Old group' });
    const bot = await buyAdbot(t, tg, { email: 'migrate@example.com', chats: [String(old)] });
    tg.addMember(old, bot.senders[0]!.botId);
    const t0 = engine.slotStart(bot.intervalSeconds);
    await engine.tick(t0);
    const fresh = nextChatId();
    tg.migrateChat(old, fresh);
    const r = await engine.tick(new Date(t0.getTime() + 1000));
    expect(r.sent).toBe(1);
    const [chat] = await engine.chatsOf(bot.adbotId);
    expect(chat!.chatId).toBe(BigInt(fresh));
    expect(tg.messagesIn(fresh)).toHaveLength(1);
    const [post] = await engine.postsOf(bot.adbotId);
    expect(post!.messageUrl).toBe(`https://t.me/c/${String(fresh).slice(4)}/1`);
  });

  it('401 bans the sender, replaces it from stock and tells the customer; the new bot serves the chat', async () => {
    const id = nextChatId();
    tg.addChat({ id, type: 'supergroup', username: 'engine_revoked' });
    const bot = await buyAdbot(t, tg, { email: 'banned@example.com', chats: ['@engine_revoked'] });
    const s = bot.senders[0]!;
    tg.addMember(id, s.botId);
    const t0 = engine.slotStart(bot.intervalSeconds);
    await engine.tick(t0);
    const [spare] = await telegramSenders(t, tg, 1);

    tg.revokeBot(s.token);
    expect((await engine.tick(new Date(t0.getTime() + 1000))).failed).toBe(1);
    const held = await t.ctx.db.select().from(senders).where(eq(senders.adbotId, bot.adbotId));
    expect(held.find((x) => x.id === s.id)!.state).toBe('banned');
    expect(held.find((x) => x.id === spare!.id)!.state).toBe('assigned');
    const note = (await t.ctx.db.select().from(notifications).where(eq(notifications.userId, bot.userId))).find((n) => n.kind === 'sender_replaced');
    expect(note!.body).toContain(`@${spare!.username}`);
    // The chat went back to pending and the same tick checked it again: the replacement is
    // not in the chat yet, so it is no_access naming the new bot; once added, it posts.
    const step = bot.intervalSeconds * 1000;
    const [chat] = await engine.chatsOf(bot.adbotId);
    expect(chat).toMatchObject({ status: 'no_access', senderId: null });
    expect(chat!.lastError).toContain(`@${spare!.username}`);
    tg.addMember(id, spare!.botId);
    await t.api('POST', '/api/user/bot/chats/recheck', undefined, bot.auth);
    expect((await engine.tick(new Date(t0.getTime() + 1000 + step))).sent).toBe(1);
    expect(tg.messagesIn(id).at(-1)!.botId).toBe(spare!.botId);
  });

  it('401 with empty stock leaves the adbot one sender short and alerts the admins', async () => {
    const id = nextChatId();
    tg.addChat({ id, type: 'supergroup' });
    const bot = await buyAdbot(t, tg, { email: 'short@example.com', plan: 'silver', chats: [String(id)] });
    for (const s of bot.senders) tg.addMember(id, s.botId);
    const t0 = engine.slotStart(bot.intervalSeconds);
    await engine.tick(t0);
    const [chat] = await engine.chatsOf(bot.adbotId);
    const serving = bot.senders.find((s) => s.id === chat!.senderId)!;
    const other = bot.senders.find((s) => s.id !== serving.id)!;
    tg.revokeBot(serving.token);
    await engine.tick(new Date(t0.getTime() + 1000));
    const admins = await t.ctx.db.select({ id: users.id }).from(users).where(eq(users.role, 'admin'));
    const alerts = await t.ctx.db
      .select()
      .from(notifications)
      .where(and(eq(notifications.userId, admins[0]!.id), eq(notifications.kind, 'stock_empty')));
    expect(alerts).toHaveLength(1);
    expect(
      await t.ctx.db
        .select()
        .from(senders)
        .where(and(eq(senders.adbotId, bot.adbotId), eq(senders.state, 'assigned'))),
    ).toHaveLength(1);
    // The other sender is a member: the next check moves the chat to it and posting goes on.
    await engine.tick(new Date(t0.getTime() + 2000));
    expect((await engine.chatsOf(bot.adbotId))[0]).toMatchObject({ status: 'ok', senderId: other.id });
    expect((await engine.tick(new Date(t0.getTime() + 1000 + bot.intervalSeconds * 1000))).sent).toBe(1);

    // Stock arrives: the stock job gives the short adbot a replacement and tells the customer.
    await telegramSenders(t, tg, 3);
    await processBackorders(t.ctx);
    expect(
      await t.ctx.db
        .select()
        .from(senders)
        .where(and(eq(senders.adbotId, bot.adbotId), eq(senders.state, 'assigned'))),
    ).toHaveLength(2);
    const told = await t.ctx.db
      .select()
      .from(notifications)
      .where(and(eq(notifications.userId, bot.userId), eq(notifications.kind, 'sender_replaced')));
    expect(told).toHaveLength(1);
    await processBackorders(t.ctx);
    expect(
      await t.ctx.db
        .select()
        .from(senders)
        .where(and(eq(senders.adbotId, bot.adbotId), eq(senders.state, 'assigned'))),
    ).toHaveLength(2);
  });

  it('the re-check route is for customers only and touches only their own chats', async () => {
    const mine = nextChatId();
    const theirs = nextChatId();
    tg.addChat({ id: mine, type: 'supergroup' });
    tg.addChat({ id: theirs, type: 'supergroup' });
    const other = await buyAdbot(t, tg, { email: 'other@example.com', chats: [String(theirs)], start: false });
    const me = await buyAdbot(t, tg, { email: 'me@example.com', chats: [String(mine)], start: false });
    tg.addMember(mine, me.senders[0]!.botId);

    expect((await t.api('POST', '/api/user/bot/chats/recheck')).status).toBe(401);
    expect((await t.api('POST', '/api/user/bot/chats/recheck', undefined, { authorization: `Bearer ${await adminToken(t.ctx)}` })).status).toBe(403);

    const res = await t.api('POST', '/api/user/bot/chats/recheck', undefined, me.auth);
    expect(res.status).toBe(200);
    expect(res.body.chats).toEqual([expect.objectContaining({ ref: String(mine), status: 'ok' })]);
    const [theirChat] = await engine.chatsOf(other.adbotId);
    expect(theirChat).toMatchObject({ status: 'pending', lastCheckedAt: null });

    await t.ctx.db.update(adbots).set({ status: 'expired' }).where(eq(adbots.id, me.adbotId));
    const expired = await t.api('POST', '/api/user/bot/chats/recheck', undefined, me.auth);
    expect(expired.status).toBe(409);
  });
});

import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buyAdbot } from '../../../test/factories/adbots.js';
import { nextChatId } from '../../../test/factories/ids.js';
import type { FakeTelegram } from '../../../test/fakes/telegram.js';
import { type EngineSuite, startEngineSuite } from '../../../test/helpers/engine-suite.js';
import type { TestApp } from '../../../test/helpers/test-app.js';
import { senders, targetChats } from '../../db/schema.js';

describe('posting engine: checks and posts', () => {
  let engine: EngineSuite;
  let t: TestApp;
  let tg: FakeTelegram;
  beforeAll(async () => {
    engine = await startEngineSuite();
    ({ t, tg } = engine);
  });
  afterEach(async () => engine.reset());
  afterAll(async () => engine?.close());

  it('checks chats: a member sender serves each chat, spread across senders; non-members get no_access with the fix', async () => {
    const a = nextChatId();
    const b = nextChatId();
    const lonely = nextChatId();
    const chan = nextChatId();
    tg.addChat({ id: a, type: 'supergroup', title: 'Group A' });
    tg.addChat({ id: b, type: 'supergroup', title: 'Group B', username: 'engine_group_b' });
    tg.addChat({ id: lonely, type: 'supergroup', title: 'Nobody here', username: 'engine_lonely' });
    tg.addChat({ id: chan, type: 'channel', title: 'News', username: 'engine_news' });
    const bot = await buyAdbot(t, tg, {
      email: 'check@example.com',
      plan: 'silver',
      chats: [String(a), '@engine_group_b', '@engine_lonely', '@engine_news', '@engine_nowhere'],
      start: false,
    });
    const [s1, s2] = bot.senders;
    // Both bots are in A and B; only the second one is a member of the channel, without admin rights.
    for (const id of [a, b]) for (const s of [s1!, s2!]) tg.addMember(id, s.botId);
    tg.addMember(chan, s2!.botId, { status: 'member' });

    const r = await engine.tick(new Date());
    expect(r.checked).toBe(5);
    const rows = await engine.chatsOf(bot.adbotId);
    const byRef = new Map(rows.map((c) => [c.ref, c]));
    const ca = byRef.get(String(a))!;
    const cb = byRef.get('@engine_group_b')!;
    expect(ca).toMatchObject({ status: 'ok', title: 'Group A', chatType: 'supergroup', lastError: null });
    expect(cb).toMatchObject({ status: 'ok', chatId: BigInt(b), username: 'engine_group_b' });
    expect(new Set([ca.senderId, cb.senderId])).toEqual(new Set([s1!.id, s2!.id]));
    expect(byRef.get('@engine_lonely')).toMatchObject({ status: 'no_access', senderId: null, chatId: BigInt(lonely) });
    expect(byRef.get('@engine_lonely')!.lastError).toMatch(/^bot is not a member — add @eng_\S+_bot to the group, then Re-check$/);
    expect(byRef.get('@engine_news')!.status).toBe('no_access');
    expect(byRef.get('@engine_news')!.lastError).toContain('as an admin allowed to post');
    expect(byRef.get('@engine_nowhere')!.status).toBe('not_found');
    expect(rows.every((c) => c.lastCheckedAt !== null)).toBe(true);

    // The dashboard shows who serves each chat.
    const view = await t.api('GET', '/api/user/bot', undefined, bot.auth);
    expect(view.body.chats.find((c: any) => c.ref === String(a)).senderUsername).toMatch(/^eng_/);
  });

  it('a running adbot posts once per interval into each ok chat, with proof links and stats', async () => {
    const pub = nextChatId();
    const priv = nextChatId();
    tg.addChat({ id: pub, type: 'supergroup', title: 'Public', username: 'engine_public' });
    tg.addChat({ id: priv, type: 'supergroup', title: 'Private' });
    const bot = await buyAdbot(t, tg, {
      email: 'post@example.com',
      chats: ['@engine_public', String(priv)],
      post: { type: 'text', text: '<b>Hot</b> deal', buttons: [{ text: 'Buy', url: 'https://example.com/buy' }] },
    });
    const s = bot.senders[0]!;
    tg.addMember(pub, s.botId);
    tg.addMember(priv, s.botId, { status: 'administrator' });
    const t0 = engine.slotStart(bot.intervalSeconds);

    await engine.tick(t0); // checks
    expect(tg.messagesIn(pub)).toHaveLength(0);
    const r1 = await engine.tick(new Date(t0.getTime() + 1000));
    expect(r1.sent).toBe(2);
    await engine.tick(new Date(t0.getTime() + 60_000));
    await engine.tick(new Date(t0.getTime() + bot.intervalSeconds * 1000 - 2000));
    expect(tg.messagesIn(pub)).toHaveLength(1);
    expect(tg.messagesIn(priv)).toHaveLength(1);
    expect(tg.messagesIn(pub)[0]).toMatchObject({
      method: 'sendMessage',
      text: '<b>Hot</b> deal',
      parseMode: 'HTML',
      replyMarkup: { inline_keyboard: [[{ text: 'Buy', url: 'https://example.com/buy' }]] },
    });
    // The chat's own phase: one interval after its first post, not the next epoch-aligned slot.
    const next = new Date(t0.getTime() + 1000 + bot.intervalSeconds * 1000);
    expect((await engine.tick(new Date(next.getTime() - 1))).sent).toBe(0);
    const r2 = await engine.tick(next);
    expect(r2.sent).toBe(2);
    expect(tg.messagesIn(pub)).toHaveLength(2);

    const rows = await engine.postsOf(bot.adbotId);
    expect(rows).toHaveLength(4);
    expect(rows.every((p) => p.status === 'sent' && p.senderId === s.id)).toBe(true);
    const pubPosts = rows.filter((p) => p.telegramMessageId !== null && p.messageUrl?.includes('engine_public'));
    expect(pubPosts.map((p) => p.messageUrl).sort()).toEqual(['https://t.me/engine_public/1', 'https://t.me/engine_public/2']);
    const privUrl = rows.find((p) => !p.messageUrl?.includes('engine_public'))!.messageUrl;
    expect(privUrl).toBe(`https://t.me/c/${String(priv).slice(4)}/1`);
    const [chat] = (await engine.chatsOf(bot.adbotId)).filter((c) => c.ref === '@engine_public');
    expect(chat!.lastPostAt!.getTime()).toBe(next.getTime());
    expect(chat!.nextPostAt!.getTime()).toBe(next.getTime() + bot.intervalSeconds * 1000);

    const stats = await t.api('GET', '/api/user/stats', undefined, bot.auth);
    expect(stats.body).toMatchObject({ messagesSent: 4, messagesFailed: 0 });
    const view = await t.api('GET', '/api/user/bot', undefined, bot.auth);
    expect(view.body.chats[0].lastPostUrl).toBe('https://t.me/engine_public/2');
  });

  it('a chat listed twice (by @username and by id) gets one post per interval, and the duplicate says why', async () => {
    const id = nextChatId();
    tg.addChat({ id, type: 'supergroup', title: 'Twice', username: 'engine_twice' });
    const bot = await buyAdbot(t, tg, { email: 'twice@example.com', chats: ['@engine_twice', String(id)] });
    tg.addMember(id, bot.senders[0]!.botId);
    const t0 = engine.slotStart(bot.intervalSeconds);
    await engine.tick(t0);
    await engine.tick(new Date(t0.getTime() + 1000));
    expect(tg.messagesIn(id)).toHaveLength(1);
    const rows = await engine.chatsOf(bot.adbotId);
    expect(rows.map((c) => c.status).sort()).toEqual(['error', 'ok']);
    expect(rows.find((c) => c.status === 'error')!.lastError).toMatch(/^Same chat as @engine_twice — it is listed twice/);
    await engine.tick(new Date(t0.getTime() + 1000 + bot.intervalSeconds * 1000));
    expect(tg.messagesIn(id)).toHaveLength(2);
  });

  it('concurrent ticks post exactly once per chat per slot', async () => {
    const ids = [nextChatId(), nextChatId(), nextChatId()];
    for (const id of ids) tg.addChat({ id, type: 'supergroup' });
    const bot = await buyAdbot(t, tg, { email: 'race@example.com', plan: 'silver', chats: ids.map(String) });
    for (const id of ids) for (const s of bot.senders) tg.addMember(id, s.botId);
    const t0 = engine.slotStart(bot.intervalSeconds);
    await engine.tick(t0);
    await Promise.all([engine.tick(new Date(t0.getTime() + 1000)), engine.tick(new Date(t0.getTime() + 1000))]);
    for (const id of ids) expect(tg.messagesIn(id)).toHaveLength(1);
    const t1 = new Date(t0.getTime() + 1000 + bot.intervalSeconds * 1000);
    const results = await Promise.all(Array.from({ length: 5 }, () => engine.tick(t1)));
    expect(results.reduce((n, r) => n + r.sent, 0)).toBe(3);
    for (const id of ids) expect(tg.messagesIn(id)).toHaveLength(2);
    const rows = await engine.postsOf(bot.adbotId);
    expect(rows).toHaveLength(6);
    expect(new Set(rows.map((p) => `${p.targetChatId}:${p.slot}`)).size).toBe(6);
  });

  it('never posts after expiry, even when expiry falls between the claim and the send; a stopped bot does not post', async () => {
    const id = nextChatId();
    tg.addChat({ id, type: 'supergroup' });
    const bot = await buyAdbot(t, tg, { email: 'expiry@example.com', chats: [String(id)] });
    tg.addMember(id, bot.senders[0]!.botId);
    await engine.tick(new Date());
    const exp = bot.expiresAt.getTime();

    expect((await engine.tick(new Date(exp))).sent).toBe(0);
    expect((await engine.tick(new Date(exp + 5000))).due).toBe(0);
    // Claimed just before expiry, sent (would be) just after: the send-time check wins.
    let calls = 0;
    const r = await engine.tick(() => (calls++ === 0 ? new Date(exp - 500) : new Date(exp + 10)));
    expect(r).toMatchObject({ due: 1, cancelled: 1, sent: 0 });
    expect(tg.messagesIn(id)).toHaveLength(0);
    expect(await engine.postsOf(bot.adbotId)).toHaveLength(0);

    // The cancelled claim gave its slot back: before expiry it posts; stopped, it does not.
    expect((await engine.tick(new Date(exp - 400))).sent).toBe(1);
    await t.api('POST', '/api/user/bot/stop', undefined, bot.auth);
    expect((await engine.tick(new Date(exp - bot.intervalSeconds * 1000 * 3))).due).toBe(0);
    expect(tg.messagesIn(id)).toHaveLength(1);
  });

  it('link posts are sent with copyMessage', async () => {
    const id = nextChatId();
    tg.addChat({ id, type: 'channel', username: 'engine_copy_target' });
    const bot = await buyAdbot(t, tg, {
      email: 'link@example.com',
      chats: ['@engine_copy_target'],
      post: { type: 'link', link: 'https://t.me/SourceChan/77' },
    });
    tg.addMember(id, bot.senders[0]!.botId, { status: 'administrator', canPostMessages: true });
    const t0 = engine.slotStart(bot.intervalSeconds);
    await engine.tick(t0);
    expect((await engine.tick(new Date(t0.getTime() + 1000))).sent).toBe(1);
    expect(tg.messagesIn(id)).toMatchObject([{ method: 'copyMessage', fromChatId: '@sourcechan', fromMessageId: 77 }]);
    expect((await engine.postsOf(bot.adbotId))[0]!.messageUrl).toBe('https://t.me/engine_copy_target/1');
  });

  it('removed chats are never served; sandbox senders record deliveries without calling Telegram', async () => {
    const id = nextChatId();
    tg.addChat({ id, type: 'supergroup' });
    const bot = await buyAdbot(t, tg, { email: 'removed@example.com', chats: [String(id), '@engine_other'] });
    tg.addMember(id, bot.senders[0]!.botId);
    const t0 = engine.slotStart(bot.intervalSeconds);
    await engine.tick(t0);
    await engine.tick(new Date(t0.getTime() + 1000));
    expect(tg.messagesIn(id)).toHaveLength(1);
    await t.api('PUT', '/api/user/bot', { chats: ['@engine_other'] }, bot.auth);
    const [removed] = (await engine.chatsOf(bot.adbotId)).filter((c) => c.ref === String(id));
    expect(removed!.position).toBe(-1);
    // Even if something marked it ok again, position -1 keeps it out.
    await t.ctx.db.update(targetChats).set({ status: 'ok', senderId: bot.senders[0]!.id }).where(eq(targetChats.id, removed!.id));
    await engine.tick(new Date(t0.getTime() + bot.intervalSeconds * 1000));
    expect(tg.messagesIn(id)).toHaveLength(1);

    // A sandbox sender: ok without a check call, "sent" with a synthetic id and no proof link.
    await t.ctx.db.update(senders).set({ isSandbox: true }).where(eq(senders.id, bot.senders[0]!.id));
    await t.ctx.db.update(targetChats).set({ status: 'pending' }).where(eq(targetChats.ref, '@engine_other'));
    const calls = tg.calls.length;
    await engine.tick(new Date(t0.getTime() + 2 * bot.intervalSeconds * 1000));
    const r = await engine.tick(new Date(t0.getTime() + 2 * bot.intervalSeconds * 1000 + 1000));
    expect(r.sent).toBe(1);
    expect(tg.calls.length).toBe(calls);
    const sandboxPost = (await engine.postsOf(bot.adbotId)).find((p) => p.targetChatId !== removed!.id)!;
    expect(sandboxPost).toMatchObject({ status: 'sent', messageUrl: null });
    expect(sandboxPost.telegramMessageId).toBeGreaterThan(0);
  });
});

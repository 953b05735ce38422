// Posting-engine defects a review found: each test pins one of them.
import { and, eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { buyAdbot, stopAllAdbots } from '../../../test/factories/adbots.js';
import { nextChatId } from '../../../test/factories/ids.js';
import { createPaidOrder } from '../../../test/factories/orders.js';
import { adminToken } from '../../../test/factories/sessions.js';
import { setStock, telegramSenders } from '../../../test/factories/stock.js';
import { type FakeTelegram, startFakeTelegram } from '../../../test/fakes/telegram.js';
import { startTestApp, type TestApp } from '../../../test/helpers/test-app.js';
import { adbots, notifications, orders, posts, senders, targetChats, users } from '../../db/schema.js';
import { AppError } from '../../lib/errors.js';
import { freezeSender } from '../stock/freeze-sender.js';
import { releaseAdbotSenders } from '../stock/release-adbot-senders.js';
import { reserveSenders } from '../stock/reserve-senders.js';
import { runEngineTick } from './run-engine-tick.js';
import { SendLimiter } from './send-limiter.js';
import { startEngineLoop } from './start-engine-loop.js';

describe('posting engine fixes', () => {
  let t: TestApp;
  let tg: FakeTelegram;
  const limiter = new SendLimiter({ perChatGapMs: 0 });
  type TickExtra = Omit<Parameters<typeof runEngineTick>[0], 'ctx' | 'clock'>;
  const tick = (at: Date | (() => Date), extra: TickExtra = {}) =>
    runEngineTick({ ctx: t.ctx, clock: typeof at === 'function' ? at : () => at, limiter, ...extra });
  const chatsOf = (adbotId: string) => t.ctx.db.select().from(targetChats).where(eq(targetChats.adbotId, adbotId)).orderBy(targetChats.position);
  const postsOf = (adbotId: string) => t.ctx.db.select().from(posts).where(eq(posts.adbotId, adbotId)).orderBy(posts.slot);
  const senderRow = async (id: string) => (await t.ctx.db.select().from(senders).where(eq(senders.id, id)))[0]!;
  const slotStart = (interval: number, plus = 0) => new Date((Math.floor(Date.now() / 1000 / interval) + 1 + plus) * interval * 1000 + 1000);
  const sendsBy = (token: string) => tg.callsOf('sendMessage').filter((c) => c.token === token).length;

  beforeAll(async () => {
    tg = await startFakeTelegram();
    t = await startTestApp({ worker: false, env: { TELEGRAM_API_ROOT: tg.url } });
  });
  afterEach(async () => {
    tg.slowDown(0);
    tg.slowDown(0, 'getChat');
    tg.slowDown(0, 'sendMessage');
    await stopAllAdbots(t.ctx);
  });
  afterAll(async () => {
    await t?.close();
    await tg?.close();
  });

  async function readyBot(email: string, opts: { plan?: string; chats?: number } = {}) {
    const ids = Array.from({ length: opts.chats ?? 1 }, () => nextChatId());
    for (const id of ids) tg.addChat({ id, type: 'supergroup' });
    const bot = await buyAdbot(t, tg, { email, ...(opts.plan ? { plan: opts.plan } : {}), chats: ids.map(String) });
    for (const id of ids) for (const s of bot.senders) tg.addMember(id, s.botId);
    const t0 = slotStart(bot.intervalSeconds);
    await tick(t0); // checks
    expect((await chatsOf(bot.adbotId)).every((c) => c.status === 'ok')).toBe(true);
    return { bot, ids, t0 };
  }

  // ---- 1: 404 is not a dead token; a 401 is confirmed with getMe --------------------

  it('a 404 from Telegram (wrong API root or proxy) does not ban the sender', async () => {
    const { bot, ids, t0 } = await readyBot('e2-404@example.com');
    const s = bot.senders[0]!;
    tg.failNext(s.token, { errorCode: 404, description: 'Not Found' });
    const r = await tick(new Date(t0.getTime() + 1000));
    expect(r.sent).toBe(0);
    expect((await senderRow(s.id)).state).toBe('assigned');
    expect((await chatsOf(bot.adbotId))[0]).toMatchObject({ status: 'ok', senderId: s.id });
    // Telegram is back: one interval after the failed attempt it posts with the same sender.
    expect((await tick(new Date(t0.getTime() + 1000 + bot.intervalSeconds * 1000))).sent).toBe(1);
    expect(tg.messagesIn(ids[0]!)).toHaveLength(1);
  });

  it('a 401 on a send that getMe does not confirm leaves the sender working', async () => {
    const { bot, t0 } = await readyBot('e2-401-blip@example.com');
    const s = bot.senders[0]!;
    const getMeBefore = tg.callsOf('getMe').filter((c) => c.token === s.token).length;
    tg.failNext(s.token, { errorCode: 401, description: 'Unauthorized' });
    await tick(new Date(t0.getTime() + 1000));
    expect(tg.callsOf('getMe').filter((c) => c.token === s.token).length).toBe(getMeBefore + 1);
    expect((await senderRow(s.id)).state).toBe('assigned');
    expect((await chatsOf(bot.adbotId))[0]).toMatchObject({ status: 'ok', senderId: s.id });
  });

  // ---- 2: a 429 pauses its chat; 429s from several chats pause the bot ---------------

  it("a 429 from one chat pauses only that chat: the bot's other chats post in the same tick", async () => {
    const { bot, ids, t0 } = await readyBot('e2-429-one@example.com', { chats: 3 });
    const s = bot.senders[0]!;
    tg.rateLimit(s.token, 30);
    const at = new Date(t0.getTime() + 1000);
    const r = await tick(at);
    expect(r).toMatchObject({ sent: 2, deferred: 1 });
    expect((await senderRow(s.id)).state).toBe('assigned');
    const paused = (await chatsOf(bot.adbotId)).filter((c) => c.nextPostAt!.getTime() === at.getTime() + 30_000);
    expect(paused).toHaveLength(1);
    expect(paused[0]!.lastError).toMatch(/Rate-limited: Telegram limits posts in this chat/);
    // The paused chat is served after its wait, and only then.
    expect((await tick(new Date(at.getTime() + 29_000))).sent).toBe(0);
    expect((await tick(new Date(at.getTime() + 31_000))).sent).toBe(1);
    for (const id of ids) expect(tg.messagesIn(id)).toHaveLength(1);
  });

  it('429s from three chats of one bot within a minute pause the bot, and every chat gets its post after the wait', async () => {
    const { bot, ids, t0 } = await readyBot('e2-429@example.com', { chats: 3 });
    const s = bot.senders[0]!;
    tg.rateLimit(s.token, 30, 3);
    const at = new Date(t0.getTime() + 1000);
    const limiter = new SendLimiter({ perChatGapMs: 0 });
    const r = await tick(at, { limiter });
    expect(r).toMatchObject({ sent: 0, deferred: 3 });
    expect(await postsOf(bot.adbotId)).toHaveLength(0);
    expect((await senderRow(s.id)).state).toBe('frozen');
    const frozenUntil = at.getTime() + 30_000;
    // Still frozen: nothing. After the wait all three chats get their post.
    // (The limiter's pause runs on real time; a fresh limiter stands for the 30 s having passed.)
    expect((await tick(new Date(frozenUntil - 1000), { limiter })).sent).toBe(0);
    const after = await tick(new Date(frozenUntil + 1000), { limiter: new SendLimiter({ perChatGapMs: 0 }) });
    expect(after).toMatchObject({ thawed: 1, sent: 3 });
    for (const id of ids) expect(tg.messagesIn(id)).toHaveLength(1);
    expect((await postsOf(bot.adbotId)).map((p) => p.status)).toEqual(['sent', 'sent', 'sent']);
  });

  // ---- 3: a slow Telegram does not stall ticks or shutdown -------------------------

  it('a check stops asking further senders once Telegram is unavailable; the chat is retried later', async () => {
    const id = nextChatId();
    tg.addChat({ id, type: 'supergroup' });
    const bot = await buyAdbot(t, tg, { email: 'e2-unavail@example.com', plan: 'gold', chats: [String(id)], start: false });
    for (const s of bot.senders) tg.failNext(s.token, { errorCode: 502, description: 'Bad Gateway' });
    const before = tg.callsOf('getChat').length;
    await tick(new Date());
    expect(tg.callsOf('getChat').length - before).toBe(1);
    const [chat] = await chatsOf(bot.adbotId);
    expect(chat).toMatchObject({ status: 'error' });
    expect(chat!.lastError).toContain('re-check automatically');
    for (const s of bot.senders) tg.clearFailures(s.token);
  });

  it('chat checks stop when the per-tick budget is spent', async () => {
    const ids = Array.from({ length: 5 }, () => nextChatId());
    for (const id of ids) tg.addChat({ id, type: 'supergroup' });
    const bot = await buyAdbot(t, tg, { email: 'e2-budget@example.com', chats: ids.map(String), start: false });
    for (const id of ids) tg.addMember(id, bot.senders[0]!.botId);
    tg.slowDown(400, 'getChat');
    const calls = tg.callsOf('getChat').length;
    const r = await tick(new Date(), { checkBudgetMs: 500 });
    expect(r.checked).toBeGreaterThanOrEqual(1);
    expect(r.checked).toBeLessThan(5);
    // Once the budget was spent no further check started: Telegram never heard of every chat.
    expect(tg.callsOf('getChat').length - calls).toBeLessThan(5);
  });

  it('stop() ends a tick stuck on a slow Telegram promptly', async () => {
    const id = nextChatId();
    tg.addChat({ id, type: 'supergroup' });
    await buyAdbot(t, tg, { email: 'e2-stop@example.com', chats: [String(id)], start: false });
    tg.slowDown(5000);
    const calls = tg.callsOf('getChat').length;
    const loop = startEngineLoop({ ctx: t.ctx, idleMs: 60_000 });
    await vi.waitFor(() => expect(tg.callsOf('getChat').length).toBeGreaterThan(calls), { timeout: 3000, interval: 20 });
    await loop.stop();
    // stop() returned while Telegram still held the tick's call: it did not wait for the answer.
    expect(tg.unanswered).toBeGreaterThan(0);
  });

  // ---- 4: per-chat gap and per-bot limit across workers -----------------------------

  it("never claims a chat within its interval of another worker's attempt, whatever moved its next post", async () => {
    const { bot, ids, t0 } = await readyBot('e2-gap-row@example.com');
    const [chat] = await chatsOf(bot.adbotId);
    const step = bot.intervalSeconds * 1000;
    const claimedAt = t0.getTime() + 5000;
    // Another worker claimed the chat a second ago and is still sending; then something (a
    // re-check, a re-listing) reset the chat's next post to now.
    await t.ctx.db.insert(posts).values({
      adbotId: bot.adbotId,
      targetChatId: chat!.id,
      senderId: bot.senders[0]!.id,
      slot: 1_000_000,
      status: 'sending',
      createdAt: new Date(claimedAt),
    });
    await t.ctx.db
      .update(targetChats)
      .set({ nextPostAt: new Date(claimedAt + 1000) })
      .where(eq(targetChats.id, chat!.id));
    expect((await tick(new Date(claimedAt + 1000))).sent).toBe(0);
    expect((await tick(new Date(claimedAt + step - 1))).sent).toBe(0);
    expect(tg.messagesIn(ids[0]!)).toHaveLength(0);
    // One interval after that attempt the chat is served.
    expect((await tick(new Date(claimedAt + step))).sent).toBe(1);
  });

  it('two concurrent ticks never post into a chat closer than its interval', async () => {
    const { bot, ids, t0 } = await readyBot('e2-gap-race@example.com');
    const step = bot.intervalSeconds * 1000;
    const at = t0.getTime() + 1000;
    tg.slowDown(600, 'sendMessage');
    const calls = tg.callsOf('sendMessage').length;
    const first = tick(new Date(at), { limiter: new SendLimiter({ perChatGapMs: 0 }) });
    const until = Date.now() + 3000;
    while (tg.callsOf('sendMessage').length === calls && Date.now() < until) await new Promise((r) => setTimeout(r, 5));
    const second = await tick(new Date(at + 500), { limiter: new SendLimiter({ perChatGapMs: 0 }) });
    expect((await first).sent).toBe(1);
    expect(second.sent).toBe(0);
    tg.slowDown(0, 'sendMessage');
    expect((await tick(new Date(at + step - 1000))).sent).toBe(0);
    expect(tg.messagesIn(ids[0]!)).toHaveLength(1);
    expect((await tick(new Date(at + step))).sent).toBe(1);
    expect(tg.messagesIn(ids[0]!)).toHaveLength(2);
  });

  it("one worker at a time drives a sender's chats", async () => {
    const { bot, ids } = await readyBot('e2-lease@example.com', { chats: 3 });
    const t1 = slotStart(bot.intervalSeconds, 1);
    tg.slowDown(200, 'sendMessage');
    // Two workers: each has its own in-process limiter, so only the lease keeps the bot's pace.
    const workers = ['worker-a', 'worker-b'];
    const results = await Promise.all(workers.map((workerId) => tick(t1, { workerId, limiter: new SendLimiter({ perChatGapMs: 0 }) })));
    expect(results.map((r) => r.sent).sort()).toEqual([0, 3]);
    const driver = workers[results.findIndex((r) => r.sent === 3)];
    expect((await senderRow(bot.senders[0]!.id)).leaseOwner).toBe(driver);
    for (const id of ids) expect(tg.messagesIn(id)).toHaveLength(1);
  });

  it('a banned sender is not replaced from stock while paid back-orders wait; the admins are told it tops up automatically', async () => {
    const { bot, t0 } = await readyBot('e2-backorder@example.com');
    const s = bot.senders[0]!;
    const { orderId } = await createPaidOrder(t.ctx, { email: 'e2-waiting@example.com', plan: 'bronze', reserve: false });
    await t.ctx.db.update(orders).set({ backordered: true }).where(eq(orders.id, orderId));
    const [spare] = await telegramSenders(t, tg, 1);
    try {
      tg.revokeBot(s.token);
      await tick(new Date(t0.getTime() + 1000));
      expect((await senderRow(s.id)).state).toBe('banned');
      expect(await senderRow(spare!.id)).toMatchObject({ state: 'unused', adbotId: null });
      const admins = await t.ctx.db.select({ id: users.id }).from(users).where(eq(users.role, 'admin'));
      const [alert] = await t.ctx.db
        .select()
        .from(notifications)
        .where(and(eq(notifications.userId, admins[0]!.id), eq(notifications.kind, 'stock_empty')))
        .orderBy(notifications.createdAt);
      expect(alert!.body).toContain(`@${s.username}`);
      expect(alert!.body).toMatch(/topped up automatically/);
      expect(alert!.body).not.toMatch(/admin panel/);
    } finally {
      await t.ctx.db.update(orders).set({ backordered: false, status: 'fulfilled' }).where(eq(orders.id, orderId));
    }
  });

  it('a frozen sender returned to stock keeps its wait, and no reservation takes it meanwhile', async () => {
    await setStock(t.ctx, 0);
    const { bot } = await readyBot('e2-frozen-release@example.com');
    const s = bot.senders[0]!;
    const until = new Date(Date.now() + 3_600_000);
    await freezeSender({ db: t.ctx.db, senderId: s.id, until, reason: 'Too Many Requests' });
    await t.ctx.db.transaction((tx) => releaseAdbotSenders({ tx, adbotId: bot.adbotId }));
    const row = await senderRow(s.id);
    expect(row).toMatchObject({ state: 'unused', adbotId: null });
    expect(row.frozenUntil?.getTime()).toBe(until.getTime());
    const { orderId } = await createPaidOrder(t.ctx, { email: 'e2-next-buyer@example.com', plan: 'bronze', reserve: false });
    const err = await t.ctx.db.transaction((tx) => reserveSenders({ tx, orderId, count: 1 })).catch((e) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((await senderRow(s.id)).state).toBe('unused');
    await t.ctx.db.update(orders).set({ status: 'fulfilled' }).where(eq(orders.id, orderId));
  });

  // ---- 6: banned customers ----------------------------------------------------------

  it("a banned customer's adbot does not post, and an admin cannot set it running", async () => {
    const { bot, ids, t0 } = await readyBot('e2-banned-user@example.com');
    await t.ctx.db.update(users).set({ banned: true }).where(eq(users.id, bot.userId));
    const r = await tick(new Date(t0.getTime() + 1000));
    expect(r.due).toBe(0);
    expect(tg.messagesIn(ids[0]!)).toHaveLength(0);

    const auth = { authorization: `Bearer ${await adminToken(t.ctx)}` };
    await t.ctx.db.update(adbots).set({ status: 'stopped' }).where(eq(adbots.id, bot.adbotId));
    const res = await t.api('PATCH', `/api/admin/adbots/${bot.adbotId}`, { status: 'running' }, auth);
    expect(res.status).toBe(409);
    expect((await t.ctx.db.select().from(adbots).where(eq(adbots.id, bot.adbotId)))[0]!.status).toBe('stopped');
    // Extending a banned customer's bot without running it is still allowed.
    const ok = await t.api('PATCH', `/api/admin/adbots/${bot.adbotId}`, { status: 'suspended' }, auth);
    expect(ok.status).toBe(200);
  });
});

// Chats that cannot be posted to are checked again on their own, with back-off: a chat the bot
// was given access to (without any update, without Re-check) turns ok and posts.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buyAdbot } from '../../../test/factories/adbots.js';
import { nextChatId } from '../../../test/factories/ids.js';
import { type EngineSuite, startEngineSuite } from '../../../test/helpers/engine-suite.js';
import { nextRecheckAt, RECHECK_BACKOFF_BASE_MS, RECHECK_BACKOFF_MAX_MS } from './check-adbot-chats.js';

describe('chat re-checks with back-off', () => {
  let s: EngineSuite;
  const memberChecks = (token: string) => s.tg.callsOf('getChatMember').filter((c) => c.token === token).length;

  beforeAll(async () => {
    s = await startEngineSuite();
  });
  afterEach(() => s.reset());
  afterAll(() => s?.close());

  it('waits 1, 2, 4 … minutes up to 6 hours between checks', () => {
    const now = new Date('2026-01-01T00:00:00Z');
    expect(RECHECK_BACKOFF_BASE_MS).toBe(60_000);
    expect(nextRecheckAt(now, 0).getTime() - now.getTime()).toBe(60_000);
    expect(nextRecheckAt(now, 1).getTime() - now.getTime()).toBe(120_000);
    expect(nextRecheckAt(now, 3).getTime() - now.getTime()).toBe(480_000);
    expect(nextRecheckAt(now, 9).getTime() - now.getTime()).toBe(RECHECK_BACKOFF_MAX_MS);
    expect(nextRecheckAt(now, 5000).getTime() - now.getTime()).toBe(RECHECK_BACKOFF_MAX_MS);
  });

  it('a no_access chat is re-checked on its own and turns ok once Telegram grants access, without Re-check', async () => {
    const chatId = nextChatId();
    s.tg.addChat({ id: chatId, type: 'supergroup', username: `backoff_${String(chatId).slice(-6)}` });
    const bot = await buyAdbot(s.t, s.tg, { email: 'recheck-backoff@example.com', chats: [String(chatId)] });
    const sender = bot.senders[0]!;
    const t0 = s.slotStart(bot.intervalSeconds);
    await s.tick(t0);
    let [chat] = await s.chatsOf(bot.adbotId);
    expect(chat).toMatchObject({ status: 'no_access', checkFailures: 1 });
    expect(chat!.nextCheckAt!.getTime()).toBe(t0.getTime() + 60_000);
    const after1 = memberChecks(sender.token);

    // Not before its time.
    await s.tick(new Date(t0.getTime() + 30_000));
    expect(memberChecks(sender.token)).toBe(after1);
    // Due: checked again, still no access, and the wait doubles.
    const t1 = new Date(t0.getTime() + 61_000);
    await s.tick(t1);
    expect(memberChecks(sender.token)).toBe(after1 + 1);
    [chat] = await s.chatsOf(bot.adbotId);
    expect(chat).toMatchObject({ status: 'no_access', checkFailures: 2 });
    expect(chat!.nextCheckAt!.getTime()).toBe(t1.getTime() + 120_000);

    // Access granted quietly (no update reaches us): the next due check finds it.
    s.tg.addMember(chatId, sender.botId);
    const t2 = new Date(t1.getTime() + 121_000);
    await s.tick(t2);
    [chat] = await s.chatsOf(bot.adbotId);
    expect(chat).toMatchObject({ status: 'ok', senderId: sender.id, checkFailures: 0, nextCheckAt: null });
    await s.tick(new Date(t2.getTime() + 1000));
    expect(s.tg.messagesIn(chatId)).toHaveLength(1);
  });

  it('the customer’s Re-check starts the back-off over', async () => {
    const chatId = nextChatId();
    s.tg.addChat({ id: chatId, type: 'supergroup', username: `restart_${String(chatId).slice(-6)}` });
    const bot = await buyAdbot(s.t, s.tg, { email: 'recheck-restart@example.com', chats: [String(chatId)] });
    const t0 = s.slotStart(bot.intervalSeconds);
    await s.tick(t0);
    await s.tick(new Date(t0.getTime() + 61_000));
    expect((await s.chatsOf(bot.adbotId))[0]).toMatchObject({ checkFailures: 2 });
    const res = await s.t.api('POST', '/api/user/bot/chats/recheck', undefined, bot.auth);
    expect(res.status).toBe(200);
    const [chat] = await s.chatsOf(bot.adbotId);
    expect(chat).toMatchObject({ status: 'no_access', checkFailures: 1 });
    expect(chat!.nextCheckAt!.getTime() - chat!.lastCheckedAt!.getTime()).toBe(60_000);
  });
});

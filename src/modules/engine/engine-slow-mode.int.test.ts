// Issue 10, limits per chat: a group's slow mode is read from Telegram (getChat's
// slow_mode_delay) whenever the chat is checked, and the chat is posted to no faster than it
// allows, so Telegram never answers a post with the 429 a slow-mode group gives a fast member.
import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buyAdbot } from '../../../test/factories/adbots.js';
import { nextChatId } from '../../../test/factories/ids.js';
import type { FakeTelegram } from '../../../test/fakes/telegram.js';
import { type EngineSuite, startEngineSuite } from '../../../test/helpers/engine-suite.js';
import type { TestApp } from '../../../test/helpers/test-app.js';
import { adbots, senders } from '../../db/schema.js';

describe('posting engine: slow mode read from Telegram', () => {
  let engine: EngineSuite;
  let t: TestApp;
  let tg: FakeTelegram;
  beforeAll(async () => {
    engine = await startEngineSuite();
    ({ t, tg } = engine);
  });
  afterEach(async () => engine.reset());
  afterAll(async () => engine?.close());

  /** `member: false`: the bot is not in the chat yet (a public one, so getChat still answers). */
  async function readyBot(email: string, chat: { member?: boolean } = {}) {
    const chatId = nextChatId();
    tg.addChat({ id: chatId, type: 'supergroup', ...(chat.member === false ? { username: `slow_${String(chatId).slice(-6)}` } : {}) });
    const bot = await buyAdbot(t, tg, { email, chats: [String(chatId)] });
    if (chat.member !== false) for (const s of bot.senders) tg.addMember(chatId, s.botId);
    return { bot, chatId };
  }

  const recheck = async (auth: Parameters<TestApp['api']>[3]) => {
    const res = await t.api('POST', '/api/user/bot/chats/recheck', undefined, auth);
    expect(res.status).toBe(200);
  };
  const slowModeOf = async (adbotId: string) => (await engine.chatsOf(adbotId))[0]!.slowModeSeconds;
  const tooManyRequestsIn = (chatId: number) => tg.failedCalls(429).filter((c) => Number(c.params.chat_id) === chatId);

  it('slow mode 60 s on a 10 s plan gives one post a minute', async () => {
    const { bot, chatId } = await readyBot('slow-60@example.com');
    await t.ctx.db.update(adbots).set({ postingIntervalSeconds: 10 }).where(eq(adbots.id, bot.adbotId));
    // Set by a chat admin in Telegram, not in our database: the engine learns it from its check.
    tg.setSlowMode(chatId, 60);
    const t0 = engine.slotStart(10);
    let now = t0;
    tg.clock = () => now.getTime();
    const stepMs = 2000;
    for (let ms = 0; ms <= 3 * 60_000; ms += stepMs) {
      now = new Date(t0.getTime() + ms);
      await engine.tick(now);
    }
    const at = tg.messagesIn(chatId).map((m) => m.atMs);
    expect(at).toHaveLength(3);
    for (let i = 1; i < at.length; i++) {
      expect(at[i]! - at[i - 1]!).toBeGreaterThanOrEqual(60_000);
      expect(at[i]! - at[i - 1]!).toBeLessThanOrEqual(60_000 + stepMs);
    }
    expect(tooManyRequestsIn(chatId)).toEqual([]);
    expect(await slowModeOf(bot.adbotId)).toBe(60);
  });

  it('a change of slow mode seen on a later re-check updates the stored value', async () => {
    const { bot, chatId } = await readyBot('slow-change@example.com');
    tg.setSlowMode(chatId, 60);
    const t0 = engine.slotStart(bot.intervalSeconds);
    await engine.tick(t0); // the engine's check
    expect(await engine.chatsOf(bot.adbotId)).toMatchObject([{ status: 'ok', slowModeSeconds: 60 }]);
    tg.setSlowMode(chatId, 300);
    await recheck(bot.auth);
    expect(await slowModeOf(bot.adbotId)).toBe(300);
    tg.setSlowMode(chatId, 0);
    await recheck(bot.auth);
    expect(await slowModeOf(bot.adbotId)).toBe(0);
  });

  it('a chat the bot cannot post to yet keeps the slow mode its check saw, and its own re-check reads it again', async () => {
    const { bot, chatId } = await readyBot('slow-no-access@example.com', { member: false });
    tg.setSlowMode(chatId, 30);
    const t0 = engine.slotStart(bot.intervalSeconds);
    await engine.tick(t0);
    expect(await engine.chatsOf(bot.adbotId)).toMatchObject([{ status: 'no_access', slowModeSeconds: 30 }]);
    // Access granted and slow mode raised, quietly: the engine's back-off re-check sees both.
    tg.addMember(chatId, bot.senders[0]!.botId);
    tg.setSlowMode(chatId, 900);
    await engine.tick(new Date(t0.getTime() + 61_000));
    expect(await engine.chatsOf(bot.adbotId)).toMatchObject([{ status: 'ok', slowModeSeconds: 900 }]);
  });

  it('a sandbox sender asks Telegram nothing, so the stored slow mode stands', async () => {
    const { bot, chatId } = await readyBot('slow-sandbox@example.com');
    tg.setSlowMode(chatId, 60);
    await engine.tick(engine.slotStart(bot.intervalSeconds));
    expect(await slowModeOf(bot.adbotId)).toBe(60);
    await t.ctx.db.update(senders).set({ isSandbox: true }).where(eq(senders.id, bot.senders[0]!.id));
    tg.setSlowMode(chatId, 0);
    await recheck(bot.auth);
    expect(await engine.chatsOf(bot.adbotId)).toMatchObject([{ status: 'ok', slowModeSeconds: 60 }]);
  });
});

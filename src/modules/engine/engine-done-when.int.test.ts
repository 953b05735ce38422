// Issue 10's "Done when", as a customer's group sees it over minutes of the engine's clock:
// on a 10 s plan no two posts into one chat are closer than 10 s, the first cycle included;
// a 429 with retry_after 120 in one chat leaves the bot's other chats on their schedule.
import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buyAdbot } from '../../../test/factories/adbots.js';
import { nextChatId } from '../../../test/factories/ids.js';
import type { FakeTelegram } from '../../../test/fakes/telegram.js';
import { type EngineSuite, startEngineSuite } from '../../../test/helpers/engine-suite.js';
import type { TestApp } from '../../../test/helpers/test-app.js';
import { adbots } from '../../db/schema.js';

describe('posting engine: minutes of a 10 s plan', () => {
  let engine: EngineSuite;
  let t: TestApp;
  let tg: FakeTelegram;
  beforeAll(async () => {
    engine = await startEngineSuite();
    ({ t, tg } = engine);
  });
  afterEach(async () => engine.reset());
  afterAll(async () => engine?.close());

  async function tenSecondBot(email: string, chats: number) {
    const ids = Array.from({ length: chats }, () => nextChatId());
    for (const id of ids) tg.addChat({ id, type: 'supergroup' });
    const bot = await buyAdbot(t, tg, { email, chats: ids.map(String) });
    for (const id of ids) for (const s of bot.senders) tg.addMember(id, s.botId);
    await t.ctx.db.update(adbots).set({ postingIntervalSeconds: 10 }).where(eq(adbots.id, bot.adbotId));
    return { bot, ids };
  }

  /** Runs ticks every `stepMs` of engine time from `from` for `forMs`. */
  async function run(from: Date, forMs: number, stepMs: number) {
    for (let at = stepMs; at <= forMs; at += stepMs) await engine.tick(new Date(from.getTime() + at));
  }

  /** Each chat's send times (the engine's clock at Telegram's answer), in order. */
  async function sendTimes(adbotId: string): Promise<Map<string, number[]>> {
    const byChat = new Map<string, number[]>();
    for (const p of await engine.postsOf(adbotId)) {
      if (p.status !== 'sent' || !p.sentAt) continue;
      byChat.set(
        p.targetChatId,
        [...(byChat.get(p.targetChatId) ?? []), p.sentAt.getTime()].sort((a, b) => a - b),
      );
    }
    return byChat;
  }

  it('never posts into a chat closer than 10 s, from the first post on, and keeps the pace', async () => {
    const { bot, ids } = await tenSecondBot('ten-seconds@example.com', 3);
    const t0 = engine.slotStart(3600);
    await engine.tick(t0); // checks: the chats become reachable
    await run(t0, 65_000, 700);
    const times = await sendTimes(bot.adbotId);
    expect(times.size).toBe(ids.length);
    for (const at of times.values()) {
      // The first post came with the first tick after the chat became reachable.
      expect(at[0]).toBe(t0.getTime() + 700);
      for (let i = 1; i < at.length; i++) expect(at[i]! - at[i - 1]!).toBeGreaterThanOrEqual(10_000);
      // 10 s plus at most one tick (0.7 s) of lateness per post: seven posts in 65 s.
      expect(at.length).toBe(7);
    }
  });

  it("a 429 with retry_after 120 in one chat pauses that chat for 120 s; the bot's other chats stay on schedule", async () => {
    const { bot } = await tenSecondBot('retry-120@example.com', 3);
    const sender = bot.senders[0]!;
    const t0 = engine.slotStart(3600);
    await engine.tick(t0); // checks
    tg.rateLimit(sender.token, 120);
    await run(t0, 150_000, 1000);
    const chats = await engine.chatsOf(bot.adbotId);
    const times = await sendTimes(bot.adbotId);
    const limited = chats.filter((c) => (times.get(c.id)?.[0] ?? 0) > t0.getTime() + 1000);
    expect(limited).toHaveLength(1);
    // Its first post came after the wait, not before.
    const first = times.get(limited[0]!.id)![0]!;
    expect(first).toBeGreaterThanOrEqual(t0.getTime() + 1000 + 120_000);
    expect(first).toBeLessThanOrEqual(t0.getTime() + 1000 + 122_000);
    for (const c of chats.filter((x) => x.id !== limited[0]!.id)) {
      const at = times.get(c.id)!;
      expect(at[0]).toBe(t0.getTime() + 1000);
      for (let i = 1; i < at.length; i++) {
        expect(at[i]! - at[i - 1]!).toBeGreaterThanOrEqual(10_000);
        expect(at[i]! - at[i - 1]!).toBeLessThanOrEqual(11_000);
      }
      expect(at.length).toBeGreaterThanOrEqual(14);
    }
  });
});

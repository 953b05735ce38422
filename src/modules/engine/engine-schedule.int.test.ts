// Issue 10: each chat keeps its own phase (first post when it becomes reachable, then one
// interval after the last), never closer than the interval or the group's slow mode, and due
// chats are claimed in batches by any number of workers without a double post.
import { eq, sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buyAdbot } from '../../../test/factories/adbots.js';
import { nextChatId } from '../../../test/factories/ids.js';
import type { FakeTelegram } from '../../../test/fakes/telegram.js';
import { type EngineSuite, startEngineSuite } from '../../../test/helpers/engine-suite.js';
import type { TestApp } from '../../../test/helpers/test-app.js';
import { adbots, posts, targetChats } from '../../db/schema.js';
import { rescheduleAdbotChats } from './reschedule-adbot-chats.js';
import { runEngineTick } from './run-engine-tick.js';
import { SendLimiter } from './send-limiter.js';

describe('posting engine: a schedule per chat', () => {
  let engine: EngineSuite;
  let t: TestApp;
  let tg: FakeTelegram;
  beforeAll(async () => {
    engine = await startEngineSuite();
    ({ t, tg } = engine);
  });
  afterEach(async () => engine.reset());
  afterAll(async () => engine?.close());

  async function readyBot(email: string, opts: { plan?: string; chats?: number } = {}) {
    const ids = Array.from({ length: opts.chats ?? 1 }, () => nextChatId());
    for (const id of ids) tg.addChat({ id, type: 'supergroup' });
    const bot = await buyAdbot(t, tg, { email, ...(opts.plan ? { plan: opts.plan } : {}), chats: ids.map(String) });
    for (const id of ids) for (const s of bot.senders) tg.addMember(id, s.botId);
    return { bot, ids };
  }

  it('a Silver bot started at :26 posts again at :56, not at the next :30 boundary', async () => {
    const { bot, ids } = await readyBot('phase@example.com', { plan: 'silver' });
    const step = bot.intervalSeconds * 1000;
    expect(step).toBe(30 * 60_000);
    // 13:26-style start: 26 minutes past an epoch-aligned 30-minute boundary, a day from now.
    const boundary = (Math.floor(Date.now() / step) + 48) * step;
    const start = new Date(boundary - 4 * 60_000);
    await engine.tick(start); // checks
    expect((await engine.tick(new Date(start.getTime() + 1000))).sent).toBe(1);
    // The old engine posted again at the boundary, 4 minutes later.
    expect((await engine.tick(new Date(boundary + 1000))).sent).toBe(0);
    expect((await engine.tick(new Date(start.getTime() + step))).sent).toBe(0);
    expect((await engine.tick(new Date(start.getTime() + 1000 + step))).sent).toBe(1);
    const sent = tg.messagesIn(ids[0]!);
    expect(sent).toHaveLength(2);
    const rows = await engine.postsOf(bot.adbotId);
    expect(rows[1]!.sentAt!.getTime() - rows[0]!.sentAt!.getTime()).toBeGreaterThanOrEqual(step);
    // Each post records when it was due: the delivery log and the lag metric read it.
    expect(rows.map((p) => p.dueAt?.getTime())).toEqual([start.getTime() + 1000, start.getTime() + 1000 + step]);
  });

  it("a slow-mode group is posted to at its slow mode when that is longer than the plan's interval", async () => {
    const { bot } = await readyBot('slowmode@example.com');
    const step = bot.intervalSeconds * 1000;
    const t0 = engine.slotStart(bot.intervalSeconds);
    await engine.tick(t0);
    await t.ctx.db
      .update(targetChats)
      .set({ slowModeSeconds: bot.intervalSeconds * 2 })
      .where(eq(targetChats.adbotId, bot.adbotId));
    expect((await engine.tick(new Date(t0.getTime() + 1000))).sent).toBe(1);
    expect((await engine.tick(new Date(t0.getTime() + 1000 + step))).sent).toBe(0);
    expect((await engine.tick(new Date(t0.getTime() + 1000 + 2 * step))).sent).toBe(1);
  });

  it('a plan change moves the next post to the new interval from the last one', async () => {
    const { bot } = await readyBot('replan@example.com');
    const t0 = engine.slotStart(bot.intervalSeconds);
    await engine.tick(t0);
    expect((await engine.tick(new Date(t0.getTime() + 1000))).sent).toBe(1);
    // An upgrade to a 10-minute interval: the next post comes 10 minutes after the last, not an hour.
    await t.ctx.db.update(adbots).set({ postingIntervalSeconds: 600 }).where(eq(adbots.id, bot.adbotId));
    await rescheduleAdbotChats({ db: t.ctx.db, adbotId: bot.adbotId });
    const [chat] = await engine.chatsOf(bot.adbotId);
    expect(chat!.nextPostAt!.getTime()).toBe(t0.getTime() + 1000 + 600_000);
    expect((await engine.tick(new Date(t0.getTime() + 1000 + 599_000))).sent).toBe(0);
    expect((await engine.tick(new Date(t0.getTime() + 1000 + 600_000))).sent).toBe(1);
  });

  it('a slow answer, then a fast one, never lands two posts in one chat closer than the interval', async () => {
    // Real time: Telegram posts the message when it handles the call, somewhere between our
    // request and its answer; the next post must be timed from the answer, not from the request.
    const { bot, ids } = await readyBot('slow-answer@example.com');
    const intervalMs = 2000;
    await t.ctx.db
      .update(adbots)
      .set({ postingIntervalSeconds: intervalMs / 1000 })
      .where(eq(adbots.id, bot.adbotId));
    const realTime = () => new Date();
    await engine.tick(realTime); // checks
    tg.slowDown(1500, 'sendMessage');
    expect((await engine.tick(realTime)).sent).toBe(1);
    tg.slowDown(0, 'sendMessage');
    const until = Date.now() + 2 * intervalMs + 500;
    while (Date.now() < until) {
      await engine.tick(realTime);
      await new Promise((r) => setTimeout(r, 25));
    }
    const at = tg.messagesIn(ids[0]!).map((m) => m.atMs);
    expect(at.length).toBeGreaterThanOrEqual(2);
    for (let i = 1; i < at.length; i++) expect(at[i]! - at[i - 1]!).toBeGreaterThanOrEqual(intervalMs);
  });

  it('two workers claim disjoint batches: every due chat is posted exactly once', async () => {
    const bots = [];
    for (let i = 0; i < 4; i++) bots.push(await readyBot(`batch-${i}@example.com`, { chats: 6 }));
    const t0 = engine.slotStart(3600);
    await engine.tick(t0); // checks
    // Past the lease of the worker that ran the checks: it is gone, its senders are free.
    const at = new Date(t0.getTime() + 31_000);
    const tick = (workerId: string) => runEngineTick({ ctx: t.ctx, clock: () => at, workerId, batchSize: 5, limiter: new SendLimiter({ perChatGapMs: 0 }) });
    // Fresh workers share the fleet: each takes its fair part of the senders' leases.
    // A worker over its share hands senders back during a round; the other takes them next round.
    let sent = 0;
    for (let round = 0; round < 5; round++) {
      const results = await Promise.all([tick('batch-a'), tick('batch-b')]);
      sent += results.reduce((n, r) => n + r.sent, 0);
    }
    expect(sent).toBe(24);
    for (const { ids } of bots) for (const id of ids) expect(tg.messagesIn(id)).toHaveLength(1);
    const adbotIds = bots.map((b) => b.bot.adbotId);
    const [dupes] = (
      (await t.ctx.db.execute(sql`select count(*)::int as n from (select target_chat_id from ${posts}
        where adbot_id in (select jsonb_array_elements_text(${JSON.stringify(adbotIds)}::jsonb)::uuid)
        group by target_chat_id having count(*) > 1) d`)) as unknown as { rows: { n: number }[] }
    ).rows;
    expect(dupes!.n).toBe(0);
  });
});

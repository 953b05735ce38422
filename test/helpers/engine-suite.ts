// The posting-engine suites share one set-up: an app (no worker, no loop: tests drive ticks
// with their own clock) whose Telegram is the fake Bot API, and readers for chats and posts.
import { eq } from 'drizzle-orm';
import { posts, targetChats } from '../../src/db/schema.js';
import { runEngineTick } from '../../src/modules/engine/run-engine-tick.js';
import { SendLimiter } from '../../src/modules/engine/send-limiter.js';
import { stopAllAdbots } from '../factories/adbots.js';
import { type FakeTelegram, startFakeTelegram } from '../fakes/telegram.js';
import { startTestApp, type TestApp } from './test-app.js';

export type EngineSuite = {
  t: TestApp;
  tg: FakeTelegram;
  tick(at: Date | (() => Date)): ReturnType<typeof runEngineTick>;
  chatsOf(adbotId: string): Promise<(typeof targetChats.$inferSelect)[]>;
  postsOf(adbotId: string): Promise<(typeof posts.$inferSelect)[]>;
  /** A moment just after a slot boundary of this interval, in the near future. */
  slotStart(interval: number, plus?: number): Date;
  /** Between tests: no bot left running posts in another test's ticks; the fake Telegram back on real time. */
  reset(): Promise<void>;
  close(): Promise<void>;
};

export async function startEngineSuite(): Promise<EngineSuite> {
  const tg = await startFakeTelegram();
  const t = await startTestApp({ worker: false, env: { TELEGRAM_API_ROOT: tg.url } });
  // Ticks run on an injected clock; the in-process per-chat gap would otherwise make every
  // test wait 3 real seconds between two simulated hours. The database gap still applies.
  const limiter = new SendLimiter({ perChatGapMs: 0 });
  return {
    t,
    tg,
    tick: (at) => runEngineTick({ ctx: t.ctx, clock: typeof at === 'function' ? at : () => at, limiter }),
    chatsOf: (adbotId) => t.ctx.db.select().from(targetChats).where(eq(targetChats.adbotId, adbotId)).orderBy(targetChats.position),
    postsOf: (adbotId) => t.ctx.db.select().from(posts).where(eq(posts.adbotId, adbotId)).orderBy(posts.slot),
    slotStart: (interval, plus = 0) => new Date((Math.floor(Date.now() / 1000 / interval) + 1 + plus) * interval * 1000 + 1000),
    reset: () => {
      tg.clock = () => Date.now();
      return stopAllAdbots(t.ctx);
    },
    async close() {
      await t?.close();
      await tg?.close();
    },
  };
}

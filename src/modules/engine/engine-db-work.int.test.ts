// Issue 10's bench on a quiet machine: PostgreSQL spent 4.3 ms per post, mostly on work that
// does not grow with posts — a token read for every post, a "when is the next chat due" scan of
// every leased chat after every tick. A token is read once per sender and kept across ticks; a
// tick that claimed chats is followed shortly by another and does not ask when the next is due.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buyAdbot } from '../../../test/factories/adbots.js';
import { nextChatId } from '../../../test/factories/ids.js';
import type { FakeTelegram } from '../../../test/fakes/telegram.js';
import { type EngineSuite, startEngineSuite } from '../../../test/helpers/engine-suite.js';
import { statementsOf } from '../../../test/helpers/statements.js';
import type { TestApp } from '../../../test/helpers/test-app.js';

describe('posting engine: database work per tick', () => {
  let engine: EngineSuite;
  let t: TestApp;
  let tg: FakeTelegram;
  beforeAll(async () => {
    engine = await startEngineSuite();
    ({ t, tg } = engine);
  });
  afterEach(async () => engine.reset());
  afterAll(async () => engine?.close());

  it('reads a sender’s token once for all its posts and ticks, and a busy tick skips the next-due scan', async () => {
    const chats = Array.from({ length: 6 }, () => nextChatId());
    for (const id of chats) tg.addChat({ id, type: 'supergroup' });
    const bot = await buyAdbot(t, tg, { email: 'db-work@example.com', chats: chats.map(String) });
    for (const id of chats) for (const s of bot.senders) tg.addMember(id, s.botId);
    const t0 = engine.slotStart(3600);
    const tick = (at: Date) => engine.tick(at);
    await tick(t0); // checks the chats

    const seen = await statementsOf(t, async () => {
      for (let slot = 0; slot < 3; slot++) {
        const r = await tick(new Date(t0.getTime() + slot * bot.intervalSeconds * 1000 + 1000));
        expect(r.sent).toBe(chats.length);
      }
    });
    expect(tg.callsOf('sendMessage').length).toBe(3 * chats.length);
    expect(seen.filter((q) => q.includes('token_encrypted'))).toHaveLength(0);
    expect(seen.filter((q) => q.includes('coalesce(tc.next_post_at, now())'))).toHaveLength(0);
  });
});

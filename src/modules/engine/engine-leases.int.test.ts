// Issue 10's bench: renewing every lease on every tick (ticks come every few hundred ms) was
// most of the database's work at 10,000 bots and stalled the tick when half had to be handed
// back. Leases are renewed every few seconds of the engine's clock; ticks in between write
// no lease row, and still pick up a bot started a moment ago.
import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buyAdbot } from '../../../test/factories/adbots.js';
import { nextChatId } from '../../../test/factories/ids.js';
import type { FakeTelegram } from '../../../test/fakes/telegram.js';
import { type EngineSuite, startEngineSuite } from '../../../test/helpers/engine-suite.js';
import type { TestApp } from '../../../test/helpers/test-app.js';
import { runEngineTick } from './run-engine-tick.js';
import { RENEW_EVERY_MS } from './sender-lease.js';

describe('posting engine: sender leases', () => {
  let engine: EngineSuite;
  let t: TestApp;
  let tg: FakeTelegram;
  beforeAll(async () => {
    engine = await startEngineSuite();
    ({ t, tg } = engine);
  });
  afterEach(async () => engine.reset());
  afterAll(async () => engine?.close());

  async function readyBot(email: string) {
    const id = nextChatId();
    tg.addChat({ id, type: 'supergroup' });
    const bot = await buyAdbot(t, tg, { email, chats: [String(id)] });
    for (const s of bot.senders) tg.addMember(id, s.botId);
    return bot;
  }

  const leaseRows = async () =>
    (
      (await t.ctx.db.execute(
        sql`select id, lease_owner, lease_until, xmin::text as version from senders where lease_owner is not null order by id`,
      )) as unknown as {
        rows: { id: string; lease_owner: string; lease_until: unknown; version: string }[];
      }
    ).rows;

  it('ticks between renewals rewrite no lease, and a bot started between them is still taken at once', async () => {
    await readyBot('lease-a@example.com');
    const t0 = engine.slotStart(3600);
    const tick = (at: Date) => runEngineTick({ ctx: t.ctx, clock: () => at, workerId: 'lease-w' });
    await tick(t0);
    const first = await leaseRows();
    expect(first.length).toBeGreaterThan(0);
    await tick(new Date(t0.getTime() + 1000));
    await tick(new Date(t0.getTime() + 2000));
    expect(await leaseRows()).toEqual(first);

    // A bot bought now is driven by the next tick, renewal or not.
    const second = await readyBot('lease-b@example.com');
    const r = await tick(new Date(t0.getTime() + 3000));
    for (const s of second.senders) expect(r.held.has(s.id)).toBe(true);

    // The renewal comes on its own schedule and moves every lease on.
    await tick(new Date(t0.getTime() + RENEW_EVERY_MS));
    const renewed = await leaseRows();
    for (const row of first) expect(renewed.find((x) => x.id === row.id)?.version).not.toBe(row.version);
  });
});

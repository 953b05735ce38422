// Issue 7.5: a post delivered just before its worker died stays 'sending' (no message id, no
// link, not counted). The next tick that holds the sender records it as 'unconfirmed':
// counted as sent, shown as "sent, not confirmed", and never sent again.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buyAdbot } from '../../../test/factories/adbots.js';
import { nextChatId } from '../../../test/factories/ids.js';
import { type FakeTelegram, startFakeTelegram } from '../../../test/fakes/telegram.js';
import { startTestApp, type TestApp } from '../../../test/helpers/test-app.js';
import { posts, targetChats } from '../../db/schema.js';
import { runEngineTick } from './run-engine-tick.js';
import { SendLimiter } from './send-limiter.js';

describe('posts left sending by a stopped worker', () => {
  let t: TestApp;
  let tg: FakeTelegram;
  const limiter = new SendLimiter({ perChatGapMs: 0 });
  const tick = (at: Date) => runEngineTick({ ctx: t.ctx, clock: () => at, limiter });

  beforeAll(async () => {
    tg = await startFakeTelegram();
    t = await startTestApp({ worker: false, env: { TELEGRAM_API_ROOT: tg.url } });
  });
  afterAll(async () => {
    await t?.close();
    await tg?.close();
  });

  it('become unconfirmed: counted, shown as sent-not-confirmed, not resent', async () => {
    const chat = nextChatId();
    tg.addChat({ id: chat, type: 'supergroup' });
    const bot = await buyAdbot(t, tg, { email: 'unconfirmed@example.com', chats: [String(chat)] });
    tg.addMember(chat, bot.senders[0]!.botId);
    const interval = bot.intervalSeconds * 1000;
    const t0 = new Date((Math.floor(Date.now() / interval) + 1) * interval + 1000);
    await tick(t0); // chat check
    expect((await tick(new Date(t0.getTime() + 1000))).sent).toBe(1);
    expect(tg.messagesIn(chat)).toHaveLength(1);

    // What a worker killed between Telegram's answer and recording it leaves behind.
    const [sentRow] = await t.ctx.db.select().from(posts).where(eq(posts.adbotId, bot.adbotId));
    await t.ctx.db.update(posts).set({ status: 'sending', telegramMessageId: null, messageUrl: null, sentAt: null }).where(eq(posts.id, sentRow!.id));
    await t.ctx.db.update(targetChats).set({ lastPostAt: null }).where(eq(targetChats.adbotId, bot.adbotId));

    // A later tick in the same slot: the row is swept, and nothing is posted again.
    const later = await tick(new Date(t0.getTime() + 30_000));
    expect(later.unconfirmed).toBe(1);
    expect(later.sent).toBe(0);
    expect(tg.messagesIn(chat)).toHaveLength(1);
    const [row] = await t.ctx.db.select().from(posts).where(eq(posts.id, sentRow!.id));
    expect(row).toMatchObject({ status: 'unconfirmed', telegramMessageId: null, messageUrl: null });

    const stats = await t.api('GET', '/api/user/stats', undefined, bot.auth);
    expect(stats.body).toMatchObject({ messagesSent: 1, messagesUnconfirmed: 1, messagesFailed: 0 });
    const view = await t.api('GET', '/api/user/bot', undefined, bot.auth);
    expect(view.body.chats[0]).toMatchObject({ lastPostUnconfirmed: true, lastPostUrl: null });
    expect(view.body.chats[0].lastPostAt).toBeTruthy();

    // The next slot posts normally, once.
    expect((await tick(new Date(t0.getTime() + interval + 1000))).sent).toBe(1);
    expect(tg.messagesIn(chat)).toHaveLength(2);
    expect((await t.api('GET', '/api/user/stats', undefined, bot.auth)).body).toMatchObject({ messagesSent: 2, messagesUnconfirmed: 1 });
  });

  it('a send in flight in the current tick is not swept', async () => {
    // Rows claimed by this tick (created at its clock) belong to deliveries still running.
    const chat = nextChatId();
    tg.addChat({ id: chat, type: 'supergroup' });
    const bot = await buyAdbot(t, tg, { email: 'inflight@example.com', chats: [String(chat)] });
    tg.addMember(chat, bot.senders[0]!.botId);
    const interval = bot.intervalSeconds * 1000;
    const t0 = new Date((Math.floor(Date.now() / interval) + 3) * interval + 1000);
    await tick(t0);
    const [c] = await t.ctx.db.select().from(targetChats).where(eq(targetChats.adbotId, bot.adbotId));
    const at = new Date(t0.getTime() + 1000);
    await t.ctx.db
      .insert(posts)
      .values({ adbotId: bot.adbotId, targetChatId: c!.id, senderId: bot.senders[0]!.id, slot: -1, status: 'sending', createdAt: at });
    await tick(at);
    const rows = await t.ctx.db.select().from(posts).where(eq(posts.slot, -1));
    expect(rows[0]!.status).toBe('sending');
  });
});

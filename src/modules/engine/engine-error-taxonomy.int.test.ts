import { and, eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buyAdbot } from '../../../test/factories/adbots.js';
import { nextChatId } from '../../../test/factories/ids.js';
import type { FakeTelegram } from '../../../test/fakes/telegram.js';
import { type EngineSuite, startEngineSuite } from '../../../test/helpers/engine-suite.js';
import type { TestApp } from '../../../test/helpers/test-app.js';
import { adbots, notifications } from '../../db/schema.js';
import { accessFix } from './access-fix.js';
import { TERMINAL_RECHECK_MS } from './record-failure.js';
import { type TaxonomyRow, TELEGRAM_ERROR_ROWS } from './telegram-error-taxonomy.js';

const SEND_METHODS = new Set(['sendMessage', 'sendPhoto', 'copyMessage']);

describe('posting engine: each Telegram error does what the taxonomy says', () => {
  let engine: EngineSuite;
  let t: TestApp;
  let tg: FakeTelegram;
  let n = 0;
  beforeAll(async () => {
    engine = await startEngineSuite();
    ({ t, tg } = engine);
  });
  afterEach(async () => engine.reset());
  afterAll(async () => engine?.close());

  const sendsInto = (chatId: number) => tg.calls.filter((c) => SEND_METHODS.has(c.method) && String(c.params.chat_id) === String(chatId)).length;
  const adNotes = async (userId: string) =>
    t.ctx.db
      .select()
      .from(notifications)
      .where(and(eq(notifications.userId, userId), eq(notifications.kind, 'ad_paused')));

  /** A running adbot whose chats passed their check (tick at t0): the next tick posts. */
  async function runningBot(chatCount = 1) {
    const ids = Array.from({ length: chatCount }, () => nextChatId());
    for (const id of ids) tg.addChat({ id, type: 'supergroup', title: `Taxonomy ${id}` });
    const bot = await buyAdbot(t, tg, { email: `taxonomy-${++n}@example.com`, chats: ids.map(String) });
    const s = bot.senders[0]!;
    for (const id of ids) tg.addMember(id, s.botId);
    const t0 = engine.slotStart(bot.intervalSeconds);
    await engine.tick(t0);
    expect((await engine.chatsOf(bot.adbotId)).map((c) => c.status)).toEqual(ids.map(() => 'ok'));
    return { bot, s, ids, t0, step: bot.intervalSeconds * 1000 };
  }

  const label = (row: TaxonomyRow) => `${row.example[0]} "${row.example[1]}" → ${row.verdict.kind}${'status' in row.verdict ? ` ${row.verdict.status}` : ''}`;

  it.each(TELEGRAM_ERROR_ROWS.map((row) => [label(row), row] as const))('%s', async (_name, row) => {
    const { bot, s, ids, t0, step } = await runningBot();
    const [id] = ids as [number];
    const [errorCode, description] = row.example;
    tg.failNext(s.token, { errorCode, description });
    const sendAt = new Date(t0.getTime() + 1000);
    expect(await engine.tick(sendAt)).toMatchObject({ failed: 1, sent: 0 });

    const [chat] = await engine.chatsOf(bot.adbotId);
    const [adbot] = await t.ctx.db.select().from(adbots).where(eq(adbots.id, bot.adbotId));
    const [post] = await engine.postsOf(bot.adbotId);
    expect(post).toMatchObject({ status: 'failed' });
    expect(post!.error).toContain(description);
    const verdict = row.verdict;
    if (verdict.kind === 'chat') {
      // Terminal for the chat: the fix is shown, and the back-off re-check is booked.
      expect(chat).toMatchObject({
        status: verdict.status,
        lastError: accessFix(verdict.problem, s.username, 'supergroup', String(id)),
        checkFailures: 1,
        nextCheckAt: new Date(sendAt.getTime() + TERMINAL_RECHECK_MS),
      });
      expect(adbot).toMatchObject({ status: 'running', adError: null });
      expect(await adNotes(bot.userId)).toHaveLength(0);
    } else if (verdict.kind === 'ad') {
      // The ad is paused with the reason, the customer told once, and the post row says why.
      expect(adbot).toMatchObject({ status: 'stopped', adError: verdict.reason, adErrorAt: sendAt });
      expect(chat!.status).toBe('ok');
      expect(post!.error).toContain(verdict.reason);
      const notes = await adNotes(bot.userId);
      expect(notes).toHaveLength(1);
      expect(notes[0]!.body).toBe(`Your ad was paused: ${verdict.reason}. Edit the ad to fix it, then Start.`);
    } else {
      expect(chat).toMatchObject({ status: 'ok', checkFailures: 0 });
      expect(chat!.lastError).toContain('retried next time');
      expect(adbot).toMatchObject({ status: 'running', adError: null });
    }

    // The next slot: a terminal chat or a paused ad gets no call at all; a transient error is retried and lands.
    const before = sendsInto(id);
    const next = await engine.tick(new Date(t0.getTime() + 1000 + step));
    if (verdict.kind === 'retry') {
      expect(next.sent).toBe(1);
      expect(tg.messagesIn(id)).toHaveLength(1);
    } else {
      expect(sendsInto(id)).toBe(before);
      expect(tg.messagesIn(id)).toHaveLength(0);
    }
    expect(await adNotes(bot.userId)).toHaveLength(verdict.kind === 'ad' ? 1 : 0);
  });

  it('an ad-level error in one chat pauses the ad in every chat, and the customer is told once', async () => {
    const { bot, s, ids, t0, step } = await runningBot(3);
    // The first send answers with the error; the other chats' sends of this tick may already be under way.
    tg.failNext(s.token, { errorCode: 400, description: 'Bad Request: failed to get HTTP URL content' });
    await engine.tick(new Date(t0.getTime() + 1000));
    const [adbot] = await t.ctx.db.select().from(adbots).where(eq(adbots.id, bot.adbotId));
    expect(adbot).toMatchObject({ status: 'stopped' });
    expect(adbot!.adError).toMatch(/could not download the image/);
    const failed = (await engine.postsOf(bot.adbotId)).filter((p) => p.status === 'failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]!.error).toContain('the ad was paused');

    const before = ids.map(sendsInto);
    await engine.tick(new Date(t0.getTime() + 1000 + step));
    await engine.tick(new Date(t0.getTime() + 1000 + 2 * step));
    expect(ids.map(sendsInto)).toEqual(before);
    expect(await adNotes(bot.userId)).toHaveLength(1);
  });

  it('an unknown 400 is retried, and after 3 identical ones in a row the chat is marked error with it', async () => {
    const { bot, s, ids, t0, step } = await runningBot();
    const [id] = ids as [number];
    const description = 'Bad Request: SOMETHING_TELEGRAM_ADDED_LATER';
    for (let i = 0; i < 3; i++) {
      tg.failNext(s.token, { errorCode: 400, description });
      expect((await engine.tick(new Date(t0.getTime() + 1000 + i * step))).failed).toBe(1);
      const [chat] = await engine.chatsOf(bot.adbotId);
      if (i < 2) expect(chat).toMatchObject({ status: 'ok', lastError: `Last post failed: ${description}; retried next time` });
      else expect(chat).toMatchObject({ status: 'error', checkFailures: 1 });
      if (i === 2) expect(chat!.lastError).toContain(description);
    }
    const before = sendsInto(id);
    await engine.tick(new Date(t0.getTime() + 3 * step - 1000));
    expect(sendsInto(id)).toBe(before);
    const [adbot] = await t.ctx.db.select().from(adbots).where(eq(adbots.id, bot.adbotId));
    expect(adbot!.status).toBe('running');
  });

  it('two different unknown 400s are not "identical": the chat keeps posting', async () => {
    const { bot, s, t0, step } = await runningBot();
    for (const [i, description] of ['Bad Request: ODD_ONE', 'Bad Request: ODD_TWO', 'Bad Request: ODD_ONE'].entries()) {
      tg.failNext(s.token, { errorCode: 400, description });
      await engine.tick(new Date(t0.getTime() + 1000 + i * step));
    }
    expect((await engine.chatsOf(bot.adbotId))[0]!.status).toBe('ok');
    expect((await engine.tick(new Date(t0.getTime() + 3 * step + 1000))).sent).toBe(1);
  });

  it('the dashboard shows the pause reason; saving the ad clears it, and Start posts again', async () => {
    const { bot, s, ids, t0, step } = await runningBot();
    const [id] = ids as [number];
    tg.failNext(s.token, { errorCode: 400, description: 'Bad Request: can\'t parse entities: Unsupported start tag "blink" at byte offset 0' });
    await engine.tick(new Date(t0.getTime() + 1000));
    let view = await t.api('GET', '/api/user/bot', undefined, bot.auth);
    expect(view.status).toBe(200);
    expect(view.body).toMatchObject({ status: 'stopped', adError: "Telegram could not read your ad's formatting" });

    // Start without an edit clears the banner; the same failure pauses it again, without a second notification.
    expect((await t.api('POST', '/api/user/bot/start', undefined, bot.auth)).status).toBe(200);
    expect((await t.api('GET', '/api/user/bot', undefined, bot.auth)).body.adError).toBeNull();
    tg.failNext(s.token, { errorCode: 400, description: 'Bad Request: can\'t parse entities: Unsupported start tag "blink" at byte offset 0' });
    await engine.tick(new Date(t0.getTime() + 1000 + step));
    expect((await t.api('GET', '/api/user/bot', undefined, bot.auth)).body.adError).toBe("Telegram could not read your ad's formatting");
    expect(await adNotes(bot.userId)).toHaveLength(1);

    const put = await t.api('PUT', '/api/user/bot', { post: { type: 'text', text: '<b>Fixed</b> sale' } }, bot.auth);
    expect(put.status).toBe(200);
    view = await t.api('GET', '/api/user/bot', undefined, bot.auth);
    expect(view.body).toMatchObject({ status: 'stopped', adError: null });
    expect((await t.api('POST', '/api/user/bot/start', undefined, bot.auth)).status).toBe(200);
    expect((await engine.tick(new Date(t0.getTime() + 1000 + 2 * step))).sent).toBe(1);
    expect(tg.messagesIn(id).at(-1)!.text).toContain('Fixed');
  });
});

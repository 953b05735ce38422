// Webhook mode: PUBLIC_URL is https, so each leased sender's webhook is set (once) with a
// secret, and Telegram's POSTs to /api/telegram/updates/:senderId are believed only with it.
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buyAdbot } from '../../../test/factories/adbots.js';
import { nextChatId } from '../../../test/factories/ids.js';
import { type FakeTelegram, startFakeTelegram } from '../../../test/fakes/telegram.js';
import { startTestApp, type TestApp } from '../../../test/helpers/test-app.js';
import { discoveredChats, notifications, senders } from '../../db/schema.js';
import { runEngineTick } from './run-engine-tick.js';
import { SendLimiter } from './send-limiter.js';
import { startSenderUpdates } from './updates/start-updates.js';

const PUBLIC_URL = 'https://ads.example.com';

describe('sender updates (webhook)', () => {
  let t: TestApp;
  let tg: FakeTelegram;
  const limiter = new SendLimiter({ perChatGapMs: 0 });
  const tick = (at: Date) => runEngineTick({ ctx: t.ctx, clock: () => at, limiter });
  const post = (senderId: string, body: unknown, secret?: string) =>
    fetch(`${t.url}/api/telegram/updates/${senderId}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(secret !== undefined ? { 'X-Telegram-Bot-Api-Secret-Token': secret } : {}) },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  beforeAll(async () => {
    tg = await startFakeTelegram();
    // PUBLIC_URL stays the app's own until the bot is bought (the simulated IPN goes there);
    // `auto` with an https PUBLIC_URL is webhook mode (config.test.ts), chosen outright here.
    t = await startTestApp({ worker: false, env: { TELEGRAM_API_ROOT: tg.url, TELEGRAM_UPDATES: 'webhook' } });
    // The app listens on plain http here; the fake delivers the https webhook to it.
    tg.updates.rewriteWebhookUrl = (url) => url.replace(PUBLIC_URL, t.url);
  });
  afterAll(async () => {
    await t?.close();
    await tg?.close();
  });

  it('sets each leased sender’s webhook once, and a POST is believed only with its secret', async () => {
    expect(t.ctx.config.telegramUpdates).toBe('webhook');
    const chatId = nextChatId();
    tg.addChat({ id: chatId, type: 'supergroup', title: 'Hooked group' });
    const bot = await buyAdbot(t, tg, { email: 'hook@example.com', chats: [String(chatId)] });
    const sender = bot.senders[0]!;
    tg.addMember(chatId, sender.botId);
    t.ctx.config.publicUrl = PUBLIC_URL;
    const updates = startSenderUpdates({ ctx: t.ctx });
    const at = new Date(Date.now() + 1000);
    const { held } = await tick(at);
    updates.onLeases(held);
    const url = `${PUBLIC_URL}/api/telegram/updates/${sender.id}`;
    await vi.waitFor(async () => expect((await t.ctx.db.select().from(senders).where(eq(senders.id, sender.id)))[0]!.webhookUrl).toBe(url));
    const [call] = tg.callsOf('setWebhook').filter((c) => c.token === sender.token);
    expect(call!.params).toMatchObject({ url });
    const secret = String(call!.params.secret_token);
    expect(secret).toMatch(/^[A-Za-z0-9_-]{1,256}$/);
    expect(JSON.stringify(call!.params.allowed_updates)).toBe('["my_chat_member"]');
    expect(tg.updates.webhookOf(sender.token)).toMatchObject({ url, secretToken: secret });
    // Already set: later ticks do not call setWebhook again.
    updates.onLeases((await tick(new Date(at.getTime() + 1000))).held);
    await new Promise((r) => setTimeout(r, 200));
    expect(tg.callsOf('setWebhook').filter((c) => c.token === sender.token)).toHaveLength(1);
    await updates.stop();

    // getUpdates is refused while the webhook is set, as Telegram does.
    const polled = await fetch(`${tg.url}/bot${sender.token}/getUpdates`);
    expect(polled.status).toBe(409);

    // Telegram pushes the bot added to an unlisted chat: offered on the dashboard.
    const otherId = nextChatId();
    tg.addChat({ id: otherId, type: 'supergroup', title: 'Pushed group' });
    tg.addBotToChat(otherId, sender.botId);
    await vi.waitFor(async () => {
      const offered = (await t.api('GET', '/api/user/discovered-chats', undefined, bot.auth)).body;
      expect(offered.chats.map((c: { chatId: string }) => c.chatId)).toEqual([String(otherId)]);
    });
    expect(tg.updates.deliveries.at(-1)).toMatchObject({ secretToken: secret, status: 200 });

    // A kick, sent by hand: a wrong or missing secret is refused (401) and changes nothing.
    // (The fake's own delivery of it is held back by pointing the webhook nowhere.)
    tg.updates.rewriteWebhookUrl = () => 'http://127.0.0.1:1/';
    const kick = tg.kickBot(chatId, sender.botId);
    expect(kick).not.toBeNull();
    const wrong = await post(sender.id, { ...kick, update_id: kick!.update_id + 1000 }, 'not-the-secret');
    expect(wrong.status).toBe(401);
    expect((await wrong.json()).error.code).toBe('unauthorized');
    expect((await post(sender.id, kick)).status).toBe(401);
    // Another sender's secret is not this one's.
    expect((await post(crypto.randomUUID(), kick, secret)).status).toBe(401);
    // Refused before the body is read: an oversized body with a wrong secret is a 401, not a 413.
    expect((await post(sender.id, `{"update_id":1,"x":"${'a'.repeat(200_000)}"}`, 'nope')).status).toBe(401);
    expect((await post(sender.id, `{"update_id":1,"x":"${'a'.repeat(200_000)}"}`, secret)).status).toBe(413);
    const chats = async () => (await t.api('GET', '/api/user/bot', undefined, bot.auth)).body.chats;
    expect((await chats())[0].status).toBe('ok');

    // The right secret: applied; the same update again: applied once.
    const first = await post(sender.id, kick, secret);
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ ok: true, effect: 'removed' });
    const again = await post(sender.id, kick, secret);
    expect(await again.json()).toEqual({ ok: true, effect: 'duplicate' });
    expect((await chats())[0]).toMatchObject({ status: 'no_access' });
    const told = await t.ctx.db
      .select()
      .from(notifications)
      .where(and(eq(notifications.userId, bot.userId), eq(notifications.kind, 'chat_removed')));
    expect(told).toHaveLength(1);
    // An update of a type we do not act on is confirmed (200), so Telegram does not send it again.
    const other = await post(sender.id, { update_id: kick!.update_id + 1, message: { message_id: 1, text: 'hi' } }, secret);
    expect(await other.json()).toEqual({ ok: true, effect: 'ignored' });
    expect(
      await t.ctx.db
        .select()
        .from(discoveredChats)
        .where(eq(discoveredChats.chatId, BigInt(chatId))),
    ).toHaveLength(0);
  });

  it('documents the route in the OpenAPI document', async () => {
    const doc = (await t.api('GET', '/api/openapi.json')).body;
    expect(doc.paths['/api/telegram/updates/{senderId}'].post.summary).toMatch(/webhook/i);
    expect(doc.paths['/api/user/discovered-chats'].get).toBeDefined();
  });
});

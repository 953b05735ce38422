import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeTelegram, startFakeTelegram } from '../../../test/fakes/telegram.js';
import { maskToken, parseBotToken, sandboxBotId } from './bot-token.js';
import { callTelegram, createTelegramApi } from './client.js';
import { TelegramChatMigratedError, TelegramForbiddenError, TelegramInvalidTokenError, TelegramRateLimitError, TelegramUnavailableError } from './errors.js';
import { getBotInfo } from './get-bot-info.js';

const TOKEN = `111111:${'A'.repeat(35)}`;

describe('telegram client', () => {
  let tg: FakeTelegram;
  const ctxFor = (apiRoot: string) => ({ config: { telegramApiRoot: apiRoot } }) as any;

  beforeAll(async () => {
    tg = await startFakeTelegram();
    tg.addBot(TOKEN, { id: 111111, username: 'first_bot', firstName: 'First' });
  });
  afterAll(async () => tg?.close());

  it('reads a bot with getMe through grammY', async () => {
    const info = await getBotInfo({ ctx: ctxFor(tg.url), token: TOKEN });
    expect(info).toEqual({ id: 111111n, username: 'first_bot', firstName: 'First', isSandbox: false });
    expect(tg.callsOf('getMe').at(-1)?.token).toBe(TOKEN);
  });

  it('answers sandbox tokens locally with a stable id above every real bot id', async () => {
    const calls = tg.calls.length;
    const a = await getBotInfo({ ctx: ctxFor(tg.url), token: 'sandbox:demo_1' });
    const b = await getBotInfo({ ctx: ctxFor(tg.url), token: 'sandbox:demo_1' });
    const c = await getBotInfo({ ctx: ctxFor(tg.url), token: 'sandbox:demo_2' });
    expect(tg.calls.length).toBe(calls);
    expect(a).toEqual(b);
    expect(a).toMatchObject({ username: 'demo_1_bot', isSandbox: true });
    expect(a.id).not.toBe(c.id);
    expect(a.id >= 2n ** 52n && a.id < 2n ** 53n).toBe(true);
    expect(sandboxBotId('x')).toBe(sandboxBotId('x'));
  });

  it('maps an unknown token to TelegramInvalidTokenError', async () => {
    await expect(getBotInfo({ ctx: ctxFor(tg.url), token: `222222:${'B'.repeat(35)}` })).rejects.toBeInstanceOf(TelegramInvalidTokenError);
  });

  it('maps a 404 (wrong API root, a proxy) to TelegramUnavailableError, not to a dead token', async () => {
    const tg404 = `333333:${'C'.repeat(35)}`;
    tg.addBot(tg404, { id: 333333, username: 'proxied_bot' });
    tg.failNext(tg404, { errorCode: 404, description: 'Not Found' });
    const err = await getBotInfo({ ctx: ctxFor(tg.url), token: tg404 }).catch((e) => e);
    expect(err).toBeInstanceOf(TelegramUnavailableError);
    expect(err).not.toBeInstanceOf(TelegramInvalidTokenError);
    const wrongRoot = await getBotInfo({ ctx: ctxFor(`${tg.url}/not-the-bot-api`), token: TOKEN }).catch((e) => e);
    expect(wrongRoot).toBeInstanceOf(TelegramUnavailableError);
  });

  it('maps an unreachable server to TelegramUnavailableError without leaking the token', async () => {
    const err = await getBotInfo({ ctx: ctxFor('http://127.0.0.1:1'), token: TOKEN }).catch((e) => e);
    expect(err).toBeInstanceOf(TelegramUnavailableError);
    expect(String(err.message)).not.toContain('A'.repeat(35));
  });

  it('maps 429, 403 and chat migration to their classes', async () => {
    const api = createTelegramApi({ apiRoot: tg.url, token: TOKEN });
    tg.addChat({ id: -100, type: 'group', title: 'Old group' });
    tg.addMember(-100, 111111);
    tg.rateLimit(TOKEN, 7);
    const limited = await callTelegram(() => api.sendMessage(-100, 'hi')).catch((e) => e);
    expect(limited).toBeInstanceOf(TelegramRateLimitError);
    expect(limited.retryAfterSeconds).toBe(7);

    const sent = await callTelegram(() => api.sendMessage(-100, 'hi'));
    expect(sent.message_id).toBe(1);
    expect(tg.messagesIn(-100)).toHaveLength(1);

    tg.migrateChat(-100, -1009999);
    const migrated = await callTelegram(() => api.sendMessage(-100, 'hi')).catch((e) => e);
    expect(migrated).toBeInstanceOf(TelegramChatMigratedError);
    expect(migrated.migrateToChatId).toBe(-1009999n);
    await callTelegram(() => api.sendMessage(-1009999, 'hi again'));

    tg.kickBot(-1009999, 111111);
    await expect(callTelegram(() => api.sendMessage(-1009999, 'hi'))).rejects.toBeInstanceOf(TelegramForbiddenError);
  });

  it('looks chats up and sends photos and copies through the fake server', async () => {
    const api = createTelegramApi({ apiRoot: tg.url, token: TOKEN });
    tg.addChat({ id: -200, type: 'channel', title: 'News', username: 'newschan' });
    const chat = await callTelegram(() => api.getChat('@newschan'));
    expect(chat).toMatchObject({ id: -200, type: 'channel', title: 'News' });
    expect((await callTelegram(() => api.getChatMember(-200, 111111))).status).toBe('left');

    // A channel takes posts only from an administrator allowed to post.
    tg.addMember(-200, 111111, { status: 'member' });
    await expect(callTelegram(() => api.sendPhoto(-200, 'https://example.com/a.png'))).rejects.toBeInstanceOf(TelegramForbiddenError);
    tg.addMember(-200, 111111, { status: 'administrator', canPostMessages: true });
    const member = await callTelegram(() => api.getChatMember(-200, 111111));
    expect(member).toMatchObject({ status: 'administrator', can_post_messages: true });

    const photo = await callTelegram(() =>
      api.sendPhoto(-200, 'https://example.com/a.png', {
        caption: '<b>Sale</b>',
        parse_mode: 'HTML',
        reply_markup: { inline_keyboard: [[{ text: 'Buy', url: 'https://example.com' }]] },
      }),
    );
    const copy = await callTelegram(() => api.copyMessage(-200, '@source', 42));
    expect(copy.message_id).toBe(photo.message_id + 1);
    expect(tg.messagesIn(-200)).toMatchObject([
      {
        method: 'sendPhoto',
        photo: 'https://example.com/a.png',
        caption: '<b>Sale</b>',
        parseMode: 'HTML',
        replyMarkup: { inline_keyboard: [[{ text: 'Buy', url: 'https://example.com' }]] },
      },
      { method: 'copyMessage', fromChatId: '@source', fromMessageId: 42 },
    ]);
    await expect(callTelegram(() => api.getChat(-999))).rejects.toMatchObject({ kind: 'bad_request' });
  });

  it('parses and masks tokens', () => {
    expect(parseBotToken(` ${TOKEN} `)).toEqual({ kind: 'telegram', token: TOKEN });
    expect(parseBotToken('sandbox:abc')).toEqual({ kind: 'sandbox', token: 'sandbox:abc', name: 'abc' });
    expect(parseBotToken('123:short')).toBeNull();
    expect(parseBotToken('sandbox:')).toBeNull();
    expect(maskToken(TOKEN)).toBe('1111…AAAA');
    expect(maskToken(TOKEN)).not.toContain('A'.repeat(5));
  });
});

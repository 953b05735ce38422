// Telegram updates in polling mode, through the real poller, the real client and the fake Bot
// API over HTTP: the bot added to a chat brings it back without Re-check, the bot kicked stops
// every call to the chat at once, and chats nobody listed are offered on the dashboard.
import { and, eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { buyAdbot } from '../../../test/factories/adbots.js';
import { nextChatId } from '../../../test/factories/ids.js';
import { type EngineSuite, startEngineSuite } from '../../../test/helpers/engine-suite.js';
import { notifications, senders } from '../../db/schema.js';
import { handleUpdate } from './updates/handle-update.js';
import { createUpdatesPoller, type UpdatesPoller } from './updates/updates-poller.js';

describe('sender updates (getUpdates)', () => {
  let s: EngineSuite;
  let poller: UpdatesPoller;
  const waitFor = { timeout: 8000, interval: 50 };
  /** Every Bot API call that names this chat, whatever the method. */
  const callsTo = (chatId: number) => s.tg.calls.filter((c) => Number(c.params.chat_id) === chatId).length;

  beforeAll(async () => {
    s = await startEngineSuite();
    poller = createUpdatesPoller({ ctx: s.t.ctx, longPollSeconds: 1, backoffMs: 50 });
  });
  afterEach(async () => {
    await poller.stop();
    poller = createUpdatesPoller({ ctx: s.t.ctx, longPollSeconds: 1, backoffMs: 50 });
    await s.reset();
  });
  afterAll(async () => {
    await poller?.stop();
    await s?.close();
  });

  it('the bot added to a listed no_access chat: the chat posts within one slot, with no Re-check', async () => {
    const chatId = nextChatId();
    // Public: Telegram shows it to a bot that is not in it, so the check says no_access (not not_found).
    s.tg.addChat({ id: chatId, type: 'supergroup', username: `added_${String(chatId).slice(-6)}` });
    const bot = await buyAdbot(s.t, s.tg, { email: 'upd-added@example.com', chats: [String(chatId)] });
    const sender = bot.senders[0]!;
    const t0 = s.slotStart(bot.intervalSeconds);
    const first = await s.tick(t0);
    expect((await s.chatsOf(bot.adbotId))[0]).toMatchObject({ status: 'no_access' });
    poller.sync(first.held);
    await vi.waitFor(() => expect(poller.polling.has(sender.id)).toBe(true), waitFor);

    // A chat admin adds the bot: Telegram sends my_chat_member, the poller reads it at once.
    const update = s.tg.addBotToChat(chatId, sender.botId);
    expect(update).toMatchObject({ my_chat_member: { new_chat_member: { status: 'member' }, old_chat_member: { status: 'left' } } });
    await vi.waitFor(async () => expect((await s.chatsOf(bot.adbotId))[0]!.status).toBe('pending'), waitFor);
    await vi.waitFor(
      async () => expect((await s.t.ctx.db.select().from(senders).where(eq(senders.id, sender.id)))[0]!.updatesOffset).toBe(update!.update_id + 1),
      waitFor,
    );

    // The next ticks check it and post, well inside the slot (and before any back-off re-check).
    await s.tick(new Date(t0.getTime() + 5_000));
    expect((await s.chatsOf(bot.adbotId))[0]).toMatchObject({ status: 'ok', senderId: sender.id, checkFailures: 0 });
    await s.tick(new Date(t0.getTime() + 6_000));
    expect(s.tg.messagesIn(chatId)).toHaveLength(1);
    expect(s.tg.callsOf('getUpdates').some((c) => c.token === sender.token && String(c.params.allowed_updates).includes('my_chat_member'))).toBe(true);
  });

  it('the bot kicked from a chat: the chat leaves the schedule at once, no further call to it, one notification with the fix', async () => {
    const chatId = nextChatId();
    s.tg.addChat({ id: chatId, type: 'supergroup', title: 'Kicked group' });
    const bot = await buyAdbot(s.t, s.tg, { email: 'upd-kicked@example.com', chats: [String(chatId)] });
    const sender = bot.senders[0]!;
    s.tg.addMember(chatId, sender.botId);
    const t0 = s.slotStart(bot.intervalSeconds);
    const first = await s.tick(t0);
    await s.tick(new Date(t0.getTime() + 1000));
    expect(s.tg.messagesIn(chatId)).toHaveLength(1);
    poller.sync(first.held);
    await vi.waitFor(() => expect(poller.polling.has(sender.id)).toBe(true), waitFor);

    s.tg.kickBot(chatId, sender.botId);
    await vi.waitFor(async () => expect((await s.chatsOf(bot.adbotId))[0]!.status).toBe('no_access'), waitFor);
    const chat = (await s.chatsOf(bot.adbotId))[0]!;
    expect(chat.lastError).toMatch(/bot was removed from the group — add @\S+ back/);
    expect(chat.nextCheckAt).toBeNull();
    const callsBefore = callsTo(chatId);
    // Slots later, past every back-off step: nothing calls the chat again.
    for (const hours of [1, 2, 7, 30]) await s.tick(new Date(t0.getTime() + hours * 3600_000 + 2000));
    expect(callsTo(chatId)).toBe(callsBefore);
    expect(s.tg.messagesIn(chatId)).toHaveLength(1);
    const told = await s.t.ctx.db
      .select()
      .from(notifications)
      .where(and(eq(notifications.userId, bot.userId), eq(notifications.kind, 'chat_removed')));
    expect(told).toHaveLength(1);
    expect(told[0]!.title).toBe(`@${sender.username} was removed from Kicked group`);
    expect(told[0]!.body).toMatch(/add @\S+ back \(unban it first\)/);

    // Added back: the chat returns to the schedule by itself.
    s.tg.addBotToChat(chatId, sender.botId);
    await vi.waitFor(async () => expect((await s.chatsOf(bot.adbotId))[0]!.status).toBe('pending'), waitFor);
  });

  it('a chat nobody listed is offered in the dashboard, and listing it takes it off the offer', async () => {
    const listedId = nextChatId();
    s.tg.addChat({ id: listedId, type: 'supergroup' });
    const bot = await buyAdbot(s.t, s.tg, { email: 'upd-discover@example.com', chats: [String(listedId)] });
    const sender = bot.senders[0]!;
    const first = await s.tick(s.slotStart(bot.intervalSeconds));
    poller.sync(first.held);
    const newId = nextChatId();
    s.tg.addChat({ id: newId, type: 'supergroup', title: 'Fresh group', username: `fresh_${String(newId).slice(-6)}` });
    const channelId = nextChatId();
    s.tg.addChat({ id: channelId, type: 'channel', title: 'Private channel' });
    s.tg.addBotToChat(newId, sender.botId);
    s.tg.addBotToChat(channelId, sender.botId, { status: 'administrator', canPostMessages: true });

    const offered = async () => (await s.t.api('GET', '/api/user/discovered-chats', undefined, bot.auth)).body;
    await vi.waitFor(async () => expect((await offered()).chats).toHaveLength(2), waitFor);
    expect((await offered()).chats).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          chatId: String(newId),
          chatType: 'supergroup',
          title: 'Fresh group',
          ref: `@fresh_${String(newId).slice(-6)}`,
          senderUsername: sender.username,
        }),
        expect.objectContaining({ chatId: String(channelId), chatType: 'channel', ref: String(channelId) }),
      ]),
    );
    // Another customer sees none of them.
    const other = await buyAdbot(s.t, s.tg, { email: 'upd-discover-other@example.com', chats: [String(listedId)], start: false });
    expect((await s.t.api('GET', '/api/user/discovered-chats', undefined, other.auth)).body).toEqual({ chats: [] });

    // Listed through the chat list: no longer offered. Removed from the channel: not offered either.
    const put = await s.t.api('PUT', '/api/user/bot', { chats: [String(listedId), `@fresh_${String(newId).slice(-6)}`] }, bot.auth);
    expect(put.status).toBe(200);
    s.tg.removeBotFromChat(channelId, sender.botId);
    await vi.waitFor(async () => expect((await offered()).chats).toEqual([]), waitFor);
  });

  it('a webhook in the way is deleted, and updates are read by getUpdates after it', async () => {
    const chatId = nextChatId();
    s.tg.addChat({ id: chatId, type: 'supergroup' });
    const bot = await buyAdbot(s.t, s.tg, { email: 'upd-409@example.com', chats: [String(chatId)] });
    const sender = bot.senders[0]!;
    s.tg.updates.setWebhook(sender.token, { url: 'https://elsewhere.example.com/hook' });
    await s.t.ctx.db.update(senders).set({ webhookUrl: 'https://elsewhere.example.com/hook' }).where(eq(senders.id, sender.id));
    const first = await s.tick(s.slotStart(bot.intervalSeconds));
    poller.sync(first.held);
    await vi.waitFor(() => expect(s.tg.callsOf('deleteWebhook').some((c) => c.token === sender.token)).toBe(true), waitFor);
    s.tg.addBotToChat(chatId, sender.botId);
    await vi.waitFor(async () => expect((await s.chatsOf(bot.adbotId))[0]!.status).toBe('pending'), waitFor);
    expect((await s.t.ctx.db.select().from(senders).where(eq(senders.id, sender.id)))[0]!.webhookUrl).toBeNull();
  });

  it('a sender no longer leased stops being polled; a refused token stops its loop', async () => {
    const chatId = nextChatId();
    s.tg.addChat({ id: chatId, type: 'supergroup' });
    const bot = await buyAdbot(s.t, s.tg, { email: 'upd-lease@example.com', chats: [String(chatId)] });
    const sender = bot.senders[0]!;
    poller.sync(new Set([sender.id]));
    await vi.waitFor(() => expect(poller.polling.has(sender.id)).toBe(true), waitFor);
    poller.sync(new Set());
    await vi.waitFor(() => expect(poller.polling.has(sender.id)).toBe(false), waitFor);

    s.tg.failNext(sender.token, { errorCode: 401, description: 'Unauthorized' });
    poller.sync(new Set([sender.id]));
    await vi.waitFor(() => expect(poller.polling.has(sender.id)).toBe(false), waitFor);
    // Parked: the next sync does not start it again.
    const polls = s.tg.callsOf('getUpdates').filter((c) => c.token === sender.token).length;
    poller.sync(new Set([sender.id]));
    await new Promise((r) => setTimeout(r, 200));
    expect(s.tg.callsOf('getUpdates').filter((c) => c.token === sender.token).length).toBe(polls);
  });

  it('an update is applied once, and unknown shapes are confirmed without effect', async () => {
    const chatId = nextChatId();
    s.tg.addChat({ id: chatId, type: 'supergroup' });
    const bot = await buyAdbot(s.t, s.tg, { email: 'upd-once@example.com', chats: [String(chatId)] });
    const sender = bot.senders[0]!;
    const update = s.tg.addBotToChat(chatId, sender.botId)!;
    const ctx = s.t.ctx;
    // Not checked yet (pending): nothing to bring back.
    expect(await handleUpdate({ ctx, senderId: sender.id, update })).toEqual({ updateId: update.update_id, effect: 'unchanged' });
    expect(await handleUpdate({ ctx, senderId: sender.id, update })).toEqual({ updateId: update.update_id, effect: 'duplicate' });
    const next = update.update_id + 1;
    expect(await handleUpdate({ ctx, senderId: sender.id, update: { update_id: next, message: { text: 'hi' } } })).toMatchObject({ effect: 'ignored' });
    expect(await handleUpdate({ ctx, senderId: sender.id, update: { update_id: next + 1, my_chat_member: { chat: 'nonsense' } } })).toMatchObject({
      effect: 'ignored',
    });
    expect(await handleUpdate({ ctx, senderId: sender.id, update: { nope: true } })).toMatchObject({ effect: 'invalid' });
    expect(await handleUpdate({ ctx, senderId: sender.id, update: null })).toMatchObject({ effect: 'invalid' });
    expect((await ctx.db.select().from(senders).where(eq(senders.id, sender.id)))[0]!.updatesOffset).toBe(next + 2);
  });
});

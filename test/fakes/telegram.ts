// A fake Telegram Bot API server speaking the real wire protocol (`/bot<token>/<method>`,
// JSON, form or query parameters; `{ok, result}` / `{ok: false, error_code, description,
// parameters}`), so grammY and our client code run unchanged against it in tests.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type FakeUpdate, UpdateQueues } from './telegram-updates.js';
import {
  type ApiCall,
  ApiFailure,
  chatObject,
  type Failure,
  type FakeBot,
  type FakeChat,
  type FakeChatMember,
  fail,
  optional,
  readBody,
  requireString,
  type SentMessage,
  send,
} from './telegram-wire.js';

export type { FakeUpdate } from './telegram-updates.js';
export type { ApiCall, FakeBot, FakeChat, FakeChatMember, MemberStatus, SentMessage } from './telegram-wire.js';

export class FakeTelegram {
  readonly bots = new Map<string, FakeBot>();
  readonly chats = new Map<number, FakeChat>();
  readonly messages: SentMessage[] = [];
  readonly calls: ApiCall[] = [];
  private readonly scripted = new Map<string, Failure[]>();
  /** Answer latency by method ('*' = every method), for slow-Telegram tests. */
  private readonly delays = new Map<string, number>();
  /** Requests received and held by a delay, not answered yet. */
  private held = 0;
  private server: Server | undefined;
  url = '';
  /** Each bot's updates: getUpdates or a webhook (see telegram-updates.ts). */
  readonly updates = new UpdateQueues();
  /**
   * Telegram's "now" in ms: message times and slow mode are judged by it. A test that drives
   * the engine on an injected clock sets the same clock here, so both agree on engine time.
   */
  clock: () => number = () => Date.now();

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}`;
    return this;
  }

  async close(): Promise<void> {
    this.updates.close();
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
    this.server = undefined;
  }

  // ---- test controls -------------------------------------------------------------

  addBot(token: string, bot: { id: number; username: string; firstName?: string }): FakeBot {
    const b = { id: bot.id, username: bot.username, firstName: bot.firstName ?? bot.username };
    this.bots.set(token, b);
    return b;
  }

  /** The token stops working (as after /revoke in BotFather): every call answers 401. */
  revokeBot(token: string): void {
    this.bots.delete(token);
  }

  addChat(chat: { id: number; type?: FakeChat['type']; title?: string; username?: string }): FakeChat {
    const c: FakeChat = {
      id: chat.id,
      type: chat.type ?? 'supergroup',
      title: chat.title ?? `Chat ${chat.id}`,
      ...(chat.username ? { username: chat.username } : {}),
      members: new Map(),
      nextMessageId: 1,
    };
    this.chats.set(c.id, c);
    return c;
  }

  /** Adds a bot to a chat the way a chat admin would. */
  addMember(chatId: number, botId: number, member: FakeChatMember = { status: 'member' }): void {
    this.chat(chatId).members.set(botId, member);
  }

  /** The bot was removed (and banned) by a chat admin: calls into the chat answer 403; the bot gets a my_chat_member update. */
  kickBot(chatId: number, botId: number): FakeUpdate | null {
    return this.changeMembership(chatId, botId, { status: 'kicked' });
  }

  /** A chat admin adds the bot (as a member, or as an administrator): the bot gets a my_chat_member update. */
  addBotToChat(chatId: number, botId: number, member: FakeChatMember = { status: 'member' }): FakeUpdate | null {
    return this.changeMembership(chatId, botId, member);
  }

  /** The bot was removed without a ban (or left): calls into the chat answer 403; a my_chat_member update. */
  removeBotFromChat(chatId: number, botId: number): FakeUpdate | null {
    return this.changeMembership(chatId, botId, { status: 'left' });
  }

  /**
   * The chat's slow mode (seconds between two messages of one unprivileged member); getChat
   * reports it, and a member's send within it answers 429 like Telegram. 0 turns it off.
   */
  setSlowMode(chatId: number, seconds: number): void {
    const chat = this.chat(chatId);
    if (seconds > 0) chat.slowModeDelay = seconds;
    else delete chat.slowModeDelay;
  }

  /** The update Telegram sends the bot when its status in a chat changes. */
  private changeMembership(chatId: number, botId: number, member: FakeChatMember): FakeUpdate | null {
    const chat = this.chat(chatId);
    const old = chat.members.get(botId) ?? { status: 'left' as const };
    chat.members.set(botId, member);
    const token = [...this.bots.entries()].find(([, b]) => b.id === botId)?.[0];
    if (!token) return null;
    const bot = this.bots.get(token)!;
    const user = { id: bot.id, is_bot: true, first_name: bot.firstName, username: bot.username };
    return this.updates.emit(token, 'my_chat_member', {
      chat: chatObject(chat),
      from: { id: 777_000_001, is_bot: false, first_name: 'Chat admin' },
      date: Math.floor(this.clock() / 1000),
      old_chat_member: chatMemberObject(user, old, chat.type),
      new_chat_member: chatMemberObject(user, member, chat.type),
    });
  }

  /** The group became a supergroup with a new id; members and messages move along. */
  migrateChat(chatId: number, newChatId: number): FakeChat {
    const old = this.chat(chatId);
    const moved: FakeChat = { ...old, id: newChatId, type: 'supergroup', members: new Map(old.members) };
    this.chats.set(newChatId, moved);
    old.migratedTo = newChatId;
    return moved;
  }

  /** The next `times` calls by this token answer 429 with `retry_after`. */
  rateLimit(token: string, retryAfterSeconds: number, times = 1): void {
    this.failNext(
      token,
      { errorCode: 429, description: `Too Many Requests: retry after ${retryAfterSeconds}`, parameters: { retry_after: retryAfterSeconds } },
      times,
    );
  }

  /** The next `times` calls by this token fail with exactly this Bot API error. */
  failNext(token: string, failure: Failure, times = 1): void {
    const queue = this.scripted.get(token) ?? [];
    for (let i = 0; i < times; i++) queue.push(failure);
    this.scripted.set(token, queue);
  }

  /** Drops this token's scripted failures that were never used. */
  clearFailures(token: string): void {
    this.scripted.delete(token);
  }

  /** Every call of `method` ('*' = any) answers only after `ms`, like a slow or stalled Telegram; 0 clears it. */
  slowDown(ms: number, method = '*'): void {
    if (ms > 0) this.delays.set(method, ms);
    else this.delays.delete(method);
  }

  messagesIn(chatId: number): SentMessage[] {
    return this.messages.filter((m) => m.chatId === chatId);
  }

  /** How many requests a slowDown holds right now (received, not answered yet). */
  get unanswered(): number {
    return this.held;
  }

  callsOf(method: string): ApiCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Calls the fake answered with this error code (429: rate limits, slow mode included). */
  failedCalls(errorCode: number): ApiCall[] {
    return this.calls.filter((c) => c.failure?.errorCode === errorCode);
  }

  // ---- protocol -------------------------------------------------------------------

  private chat(id: number): FakeChat {
    const c = this.chats.get(id);
    if (!c) throw new Error(`fake telegram: no chat ${id}`);
    return c;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const match = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(url.pathname);
    if (!match) return send(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
    const token = decodeURIComponent(match[1]!);
    const method = match[2]!;
    let params: Record<string, unknown>;
    try {
      params = { ...Object.fromEntries(url.searchParams), ...(await readBody(req)) };
    } catch (err) {
      return send(res, 400, { ok: false, error_code: 400, description: `Bad Request: ${(err as Error).message}` });
    }
    const call: ApiCall = { token, method, params };
    this.calls.push(call);
    if (method === 'getUpdates' && this.bots.has(token) && !this.scripted.get(token)?.length) {
      try {
        const result = await this.updates.getUpdates(token, params, (cb) => res.on('close', cb));
        if (!res.destroyed) send(res, 200, { ok: true, result });
      } catch (err) {
        if (!(err instanceof ApiFailure)) throw err;
        call.failure = err.failure;
        const { errorCode, description } = err.failure;
        if (!res.destroyed) send(res, errorCode, { ok: false, error_code: errorCode, description });
      }
      return;
    }
    const delay = this.delays.get(method) ?? this.delays.get('*') ?? 0;
    if (delay > 0) {
      this.held++;
      await new Promise((r) => setTimeout(r, delay)).finally(() => this.held--);
      // The client gave up (timeout or abort): nothing more to answer.
      if (res.destroyed || req.socket.destroyed) return;
    }
    try {
      const result = this.dispatch(token, method, params);
      send(res, 200, { ok: true, result });
    } catch (err) {
      if (!(err instanceof ApiFailure)) {
        return send(res, 500, { ok: false, error_code: 500, description: `Internal Server Error: ${(err as Error).message}` });
      }
      call.failure = err.failure;
      const { errorCode, description, parameters } = err.failure;
      send(res, errorCode, { ok: false, error_code: errorCode, description, ...(parameters ? { parameters } : {}) });
    }
  }

  private dispatch(token: string, method: string, p: Record<string, unknown>): unknown {
    const bot = this.bots.get(token);
    if (!bot) throw fail(401, 'Unauthorized');
    const scripted = this.scripted.get(token)?.shift();
    if (scripted) throw new ApiFailure(scripted);
    switch (method) {
      case 'getMe':
        return {
          id: bot.id,
          is_bot: true,
          first_name: bot.firstName,
          username: bot.username,
          can_join_groups: true,
          can_read_all_group_messages: false,
          supports_inline_queries: false,
        };
      case 'setWebhook':
        return this.updates.setWebhook(token, p);
      case 'deleteWebhook':
        return this.updates.deleteWebhook(token, p);
      case 'getWebhookInfo':
        return this.updates.getWebhookInfo(token);
      case 'getUpdates':
        // Reached only with a scripted failure queued (thrown above) or a webhook set.
        throw fail(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first");
      case 'getChat': {
        const chat = this.resolveChat(bot, p.chat_id, { needMembership: false });
        // getChat answers a ChatFullInfo: slow_mode_delay only there, only when slow mode is on.
        return { ...chatObject(chat), ...(chat.slowModeDelay ? { slow_mode_delay: chat.slowModeDelay } : {}) };
      }
      case 'getChatMember': {
        const chat = this.resolveChat(bot, p.chat_id, { needMembership: false });
        const userId = Number(p.user_id);
        const member = chat.members.get(userId) ?? { status: 'left' as const };
        const user = [...this.bots.values()].find((b) => b.id === userId);
        return {
          status: member.status,
          user: { id: userId, is_bot: Boolean(user), first_name: user?.firstName ?? 'User', ...(user ? { username: user.username } : {}) },
          ...(member.status === 'administrator' ? { can_post_messages: member.canPostMessages ?? true, can_be_edited: false } : {}),
        };
      }
      case 'sendMessage': {
        const chat = this.resolveChat(bot, p.chat_id, { needMembership: true });
        this.enforceSlowMode(chat, bot);
        const text = requireString(p.text, 'message text is empty');
        return this.record(chat, bot, { method, text, ...optional(p) });
      }
      case 'sendPhoto': {
        const chat = this.resolveChat(bot, p.chat_id, { needMembership: true });
        this.enforceSlowMode(chat, bot);
        const photo = requireString(p.photo, 'there is no photo in the request');
        return this.record(chat, bot, { method, photo, ...(typeof p.caption === 'string' ? { caption: p.caption } : {}), ...optional(p) });
      }
      case 'copyMessage': {
        const chat = this.resolveChat(bot, p.chat_id, { needMembership: true });
        this.enforceSlowMode(chat, bot);
        const fromMessageId = Number(p.message_id);
        if (!Number.isInteger(fromMessageId) || fromMessageId <= 0) throw fail(400, 'Bad Request: message to copy not found');
        const fromChatId = p.from_chat_id as number | string;
        if (fromChatId === undefined || fromChatId === '') throw fail(400, 'Bad Request: chat not found');
        const message = this.record(chat, bot, { method, fromChatId, fromMessageId, ...optional(p) });
        return { message_id: message.message_id };
      }
      default:
        throw fail(404, 'Not Found: method not found');
    }
  }

  /** Finds the chat by numeric id or `@username`, applying migration and membership rules. */
  private resolveChat(bot: FakeBot, ref: unknown, { needMembership }: { needMembership: boolean }): FakeChat {
    const chat = this.findChat(ref);
    if (!chat) throw fail(400, 'Bad Request: chat not found');
    if (chat.migratedTo !== undefined) {
      throw fail(400, 'Bad Request: group chat was upgraded to a supergroup chat', { migrate_to_chat_id: chat.migratedTo });
    }
    const member = chat.members.get(bot.id);
    const kind = chat.type === 'channel' ? 'channel' : chat.type === 'group' ? 'group' : 'supergroup';
    if (member?.status === 'kicked') throw fail(403, `Forbidden: bot was kicked from the ${kind} chat`);
    const inChat = member && member.status !== 'left';
    // Public chats can be looked up by anyone; private ones only by members.
    if (!inChat && !needMembership && !chat.username) throw fail(400, 'Bad Request: chat not found');
    if (needMembership) {
      if (!inChat) throw fail(403, `Forbidden: bot is not a member of the ${kind} chat`);
      if (member.status === 'restricted') throw fail(400, 'Bad Request: not enough rights to send text messages to the chat');
      if (chat.type === 'channel') {
        const canPost = member.status === 'creator' || (member.status === 'administrator' && member.canPostMessages !== false);
        if (!canPost) throw fail(403, 'Forbidden: bot is not an administrator of the channel chat');
      }
    }
    return chat;
  }

  /**
   * Slow mode binds members, not the chat's administrators or its creator: a member's next
   * message within the delay of its last one answers 429 with the seconds still to wait.
   */
  private enforceSlowMode(chat: FakeChat, bot: FakeBot): void {
    if (!chat.slowModeDelay) return;
    const status = chat.members.get(bot.id)?.status;
    if (status === 'administrator' || status === 'creator') return;
    const last = this.messages.findLast((m) => m.chatId === chat.id && m.botId === bot.id);
    if (!last) return;
    const waitMs = last.atMs + chat.slowModeDelay * 1000 - this.clock();
    if (waitMs <= 0) return;
    const retryAfter = Math.ceil(waitMs / 1000);
    throw fail(429, `Too Many Requests: retry after ${retryAfter}`, { retry_after: retryAfter });
  }

  private findChat(ref: unknown): FakeChat | undefined {
    if (typeof ref === 'string' && ref.startsWith('@')) {
      const name = ref.slice(1).toLowerCase();
      return [...this.chats.values()].find((c) => c.username?.toLowerCase() === name && c.migratedTo === undefined);
    }
    const id = Number(ref);
    return Number.isInteger(id) ? this.chats.get(id) : undefined;
  }

  private record(
    chat: FakeChat,
    bot: FakeBot,
    m: Omit<SentMessage, 'messageId' | 'chatId' | 'botId' | 'date' | 'atMs'>,
  ): { message_id: number; date: number; chat: unknown; from: unknown; text?: string; caption?: string } {
    const message: SentMessage = {
      ...m,
      messageId: chat.nextMessageId++,
      chatId: chat.id,
      botId: bot.id,
      date: Math.floor(this.clock() / 1000),
      atMs: this.clock(),
    };
    this.messages.push(message);
    return {
      message_id: message.messageId,
      date: message.date,
      chat: chatObject(chat),
      from: { id: bot.id, is_bot: true, first_name: bot.firstName, username: bot.username },
      ...(m.text !== undefined ? { text: m.text } : {}),
      ...(m.caption !== undefined ? { caption: m.caption } : {}),
    };
  }
}

/** A ChatMember object (https://core.telegram.org/bots/api#chatmember) for the bot itself. */
function chatMemberObject(user: Record<string, unknown>, m: FakeChatMember, chatType: FakeChat['type']): Record<string, unknown> {
  switch (m.status) {
    case 'administrator':
      return {
        status: 'administrator',
        user,
        can_be_edited: false,
        is_anonymous: false,
        can_manage_chat: true,
        can_delete_messages: true,
        can_manage_video_chats: false,
        can_restrict_members: false,
        can_promote_members: false,
        can_change_info: false,
        can_invite_users: true,
        can_post_stories: false,
        can_edit_stories: false,
        can_delete_stories: false,
        ...(chatType === 'channel' ? { can_post_messages: m.canPostMessages ?? true, can_edit_messages: false } : {}),
      };
    case 'kicked':
      return { status: 'kicked', user, until_date: 0 };
    case 'restricted':
      return { status: 'restricted', user, is_member: true, can_send_messages: false, until_date: 0 };
    default:
      return { status: m.status, user };
  }
}

export async function startFakeTelegram(): Promise<FakeTelegram> {
  return new FakeTelegram().start();
}

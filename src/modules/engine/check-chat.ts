// Is this target chat reachable, and which of the adbot's senders may post there?
import type { ChatMember } from 'grammy/types';
import { callTelegram, createTelegramApi } from '../../integrations/telegram/client.js';
import { confirmTokenRevoked } from '../../integrations/telegram/confirm-token-revoked.js';
import { TelegramChatMigratedError, TelegramError } from '../../integrations/telegram/errors.js';
import type { AppContext } from '../../platform/app-context.js';
import { freezeSender } from '../stock/freeze-sender.js';
import { replaceBannedSender } from '../stock/replace-banned-sender.js';
import { type AccessProblem, accessFix, postingProblem } from './access-fix.js';
import { type EngineSender, type SenderTokenCache, tokenFor } from './engine-senders.js';

export type CheckableChat = {
  id: string;
  ref: string;
  chatId: bigint | null;
  username: string | null;
  title: string | null;
  chatType: string | null;
};

type ChatFacts = {
  chatId: bigint | null;
  username: string | null;
  title: string | null;
  chatType: string | null;
  /** getChat's slow_mode_delay (0: off, or not a supergroup); null when nobody asked Telegram (a sandbox sender). */
  slowModeSeconds: number | null;
};

export type ChatCheckOutcome =
  | ({ status: 'ok'; senderId: string } & ChatFacts)
  | ({ status: 'no_access' | 'not_found' | 'error'; lastError: string } & ChatFacts)
  /** No sender could ask Telegram (all frozen, banned or rate-limited): try again later. */
  | { status: 'pending'; lastError: string };

export type CheckChatOptions = {
  ctx: Pick<AppContext, 'db' | 'config' | 'log'>;
  chat: CheckableChat;
  /** In order of preference: the least loaded first, so chats spread across senders. */
  senders: EngineSender[];
  now: Date;
  tokens?: SenderTokenCache;
  signal?: AbortSignal;
};

/** Checks run in the engine's tick: a stalled Telegram may hold one for this long at most. */
const CHECK_CALL_TIMEOUT_SECONDS = 10;

export type CheckChatResult = {
  outcome: ChatCheckOutcome;
  /** Senders that were banned or frozen during the check: the caller stops offering them. */
  lostSenderIds: string[];
};

/**
 * Resolves the chat with `getChat` and asks `getChatMember` for each sender in turn until
 * one may post (group: a member not restricted from sending; channel: an administrator
 * allowed to post, or the creator). A private chat is only visible to its members, so a
 * "chat not found" from one sender does not mean the chat does not exist.
 */
export async function checkChat({ ctx, chat, senders, now, tokens, signal }: CheckChatOptions): Promise<CheckChatResult> {
  const lostSenderIds: string[] = [];
  // grammY types its signal with the abort-controller polyfill; at run time it is the platform's.
  const abort = signal as unknown as Parameters<ReturnType<typeof createTelegramApi>['getChat']>[1];
  let facts: ChatFacts = { chatId: chat.chatId, username: chat.username, title: chat.title, chatType: chat.chatType, slowModeSeconds: null };
  let denial: { problem: AccessProblem; sender: EngineSender } | null = null;
  let notFound = false;
  let failure: string | null = null;

  for (const sender of senders) {
    if (sender.isSandbox) {
      // Nothing to ask: a sandbox sender "posts" anywhere, and nothing leaves the machine.
      return { outcome: { status: 'ok', senderId: sender.id, ...facts, title: facts.title ?? chat.ref }, lostSenderIds };
    }
    const token = await tokenFor({ ctx, sender, ...(tokens ? { cache: tokens } : {}) });
    const api = createTelegramApi({ apiRoot: ctx.config.telegramApiRoot, token: token!, timeoutSeconds: CHECK_CALL_TIMEOUT_SECONDS });
    try {
      let target: number | string = facts.chatId !== null ? Number(facts.chatId) : chat.ref;
      let info: Awaited<ReturnType<typeof api.getChat>>;
      try {
        info = await callTelegram(() => api.getChat(target, abort));
      } catch (err) {
        if (!(err instanceof TelegramChatMigratedError)) throw err;
        target = Number(err.migrateToChatId);
        info = await callTelegram(() => api.getChat(target, abort));
      }
      facts = {
        chatId: BigInt(info.id),
        username: 'username' in info && info.username ? info.username.toLowerCase() : facts.username,
        title: 'title' in info && info.title ? info.title : 'first_name' in info ? (info.first_name ?? null) : facts.title,
        chatType: info.type,
        // Telegram enforces it on every unprivileged member, bots included: posting faster earns a 429.
        slowModeSeconds: info.slow_mode_delay ?? 0,
      };
      const member: ChatMember = await callTelegram(() => api.getChatMember(info.id, Number(sender.botId), abort));
      const problem = postingProblem(info.type, member as Parameters<typeof postingProblem>[1]);
      if (!problem) return { outcome: { status: 'ok', senderId: sender.id, ...facts }, lostSenderIds };
      denial ??= { problem, sender };
      if (problem === 'private_chat') break;
    } catch (err) {
      if (!(err instanceof TelegramError)) throw err;
      if (
        err.kind === 'invalid_token' &&
        (await confirmTokenRevoked({ apiRoot: ctx.config.telegramApiRoot, token: token!, timeoutSeconds: CHECK_CALL_TIMEOUT_SECONDS }))
      ) {
        lostSenderIds.push(sender.id);
        await replaceBannedSender({ ctx, senderId: sender.id, reason: err.message });
      } else if (err.kind === 'unavailable' || err.kind === 'invalid_token') {
        // Telegram (or the way to it) is down or answering oddly: the next sender would only
        // wait out the same timeout. The chat is checked again later; an ok chat stays ok.
        failure = err.message;
        break;
      } else if (err.kind === 'rate_limited') {
        lostSenderIds.push(sender.id);
        const retryAfter = (err as { retryAfterSeconds?: number }).retryAfterSeconds ?? 1;
        await freezeSender({ db: ctx.db, senderId: sender.id, until: new Date(now.getTime() + retryAfter * 1000), reason: err.message });
      } else if (err.kind === 'forbidden') {
        denial ??= { problem: /kicked|banned/i.test(err.message) ? 'kicked' : 'not_member', sender };
      } else if (err.kind === 'bad_request' && /chat not found|username not found|chat_id is empty/i.test(err.message)) {
        notFound = true;
      } else {
        failure = err.message;
      }
    }
  }

  const firstName = senders.find((s) => !lostSenderIds.includes(s.id))?.username ?? senders[0]?.username ?? null;
  if (denial) {
    return { outcome: { status: 'no_access', lastError: accessFix(denial.problem, denial.sender.username, facts.chatType), ...facts }, lostSenderIds };
  }
  if (notFound) {
    const lastError = `Telegram shows none of your bots a chat ${chat.ref} — check the name, or add ${firstName ? `@${firstName}` : 'your bot'} to the chat first, then Re-check`;
    return { outcome: { status: 'not_found', lastError, ...facts }, lostSenderIds };
  }
  if (failure) return { outcome: { status: 'error', lastError: `${failure} — we re-check automatically`, ...facts }, lostSenderIds };
  return { outcome: { status: 'pending', lastError: 'Waiting for a sender that may ask Telegram (rate-limited or replaced)' }, lostSenderIds };
}

// Delivers one claimed chat: pace, re-check just before the call, send outside any
// transaction, then hand the result to the batch recorder (or record the failure). A crash
// after the send leaves the posts row 'sending': that slot is skipped, never posted twice.
import { and, eq, sql } from 'drizzle-orm';
import { posts, targetChats } from '../../db/schema.js';
import { confirmTokenRevoked } from '../../integrations/telegram/confirm-token-revoked.js';
import { TelegramChatMigratedError, TelegramError, TelegramRateLimitError } from '../../integrations/telegram/errors.js';
import type { AppContext } from '../../platform/app-context.js';
import { freezeSender } from '../stock/freeze-sender.js';
import type { ClaimedChat } from './claim-due-chats.js';
import { deliverPost } from './deliver-post.js';
import { type SenderTokenCache, tokenFor } from './engine-senders.js';
import type { AttemptMarker } from './mark-attempts.js';
import { proofUrl } from './proof-url.js';
import type { RateLimitTracker } from './rate-limits.js';
import { type DeliveryRecorder, postsInFlight } from './record-deliveries.js';
import { recordFailure } from './record-failure.js';
import type { SendLimiter } from './send-limiter.js';

export type DueChat = ClaimedChat;

/** A delivery that would queue longer than this behind its bot's pace is handed back and served then. */
export const MAX_QUEUE_WAIT_MS = 2000;

export type PostToChatOptions = {
  ctx: Pick<AppContext, 'db' | 'config' | 'log'>;
  chat: ClaimedChat;
  /** Read again just before the Bot API call: no post may leave after expiry. */
  clock: () => Date;
  limiter: SendLimiter;
  rateLimits: RateLimitTracker;
  recorder: DeliveryRecorder;
  tokens?: SenderTokenCache;
  /** The re-check just before the call (batched per event-loop turn); one per tick. */
  attempts: AttemptMarker;
};

/**
 * 'cancelled': no longer deliverable at send time; 'deferred': the bot or the chat is in a flood
 * wait, or the bot's queue is long: the slot was given back and is served after the wait.
 */
export type PostToChatResult = 'sent' | 'failed' | 'taken' | 'cancelled' | 'deferred';

export async function postToChat({ ctx, chat, clock, limiter, rateLimits, recorder, tokens, attempts }: PostToChatOptions): Promise<PostToChatResult> {
  const wait = limiter.waitMs(chat.senderId, chat.targetChatId);
  if (wait > MAX_QUEUE_WAIT_MS) {
    // Paused (flood wait) or a long queue for this bot: calling now would earn a 429 or hold the tick.
    const until = Number.isFinite(wait) ? clock().getTime() + wait : Math.max(limiter.pausedUntilMs(chat.senderId), clock().getTime() + 1000);
    await giveSlotBack({ ctx, chat, nextPostAt: new Date(until) });
    return 'deferred';
  }
  const token = await tokenFor({ ctx, sender: { id: chat.senderId, isSandbox: chat.senderIsSandbox }, ...(tokens ? { cache: tokens } : {}) });
  if (!(await limiter.acquire(chat.senderId, chat.targetChatId))) {
    await giveSlotBack({ ctx, chat, nextPostAt: new Date(Math.max(limiter.pausedUntilMs(chat.senderId), clock().getTime() + 1000)) });
    return 'deferred';
  }
  const sendAt = clock();
  if (!(await attempts.mark(chat.postId, sendAt))) {
    // Nothing left the machine: give the slot back instead of counting a failure.
    await giveSlotBack({ ctx, chat, nextPostAt: chat.dueAt });
    return 'cancelled';
  }
  let target: bigint | string = chat.chatId ?? chat.ref;
  try {
    let delivered: { messageId: number; sandbox: boolean };
    try {
      delivered = await deliverPost({ apiRoot: ctx.config.telegramApiRoot, token, chat: target, post: chat.post });
    } catch (err) {
      if (!(err instanceof TelegramChatMigratedError)) throw err;
      // The group became a supergroup: the new id is permanent, so store it and retry once.
      target = err.migrateToChatId;
      await ctx.db.update(targetChats).set({ chatId: target, chatType: 'supergroup' }).where(eq(targetChats.id, chat.targetChatId));
      delivered = await deliverPost({ apiRoot: ctx.config.telegramApiRoot, token, chat: target, post: chat.post });
    }
    const url = delivered.sandbox ? null : proofUrl({ chatId: typeof target === 'bigint' ? target : null, username: chat.username }, delivered.messageId);
    // Stamped when Telegram has answered, the latest it can have posted: the next post into this
    // chat is timed from here, so a slow answer now and a fast one next never land closer than the interval.
    recorder.add({
      postId: chat.postId,
      targetChatId: chat.targetChatId,
      messageId: delivered.messageId,
      url,
      sentAt: clock(),
      intervalSeconds: chat.intervalSeconds,
    });
    return 'sent';
  } catch (err) {
    if (err instanceof TelegramRateLimitError) {
      await onRateLimited({ ctx, chat, err, at: sendAt, limiter, rateLimits });
      return 'deferred';
    }
    postsInFlight.delete(chat.postId);
    const revoked =
      err instanceof TelegramError &&
      err.kind === 'invalid_token' &&
      token !== null &&
      (await confirmTokenRevoked({ apiRoot: ctx.config.telegramApiRoot, token }));
    await recordFailure({ ctx, chat, postId: chat.postId, err, at: sendAt, revoked });
    return 'failed';
  }
}

type OnRateLimitedOptions = {
  ctx: PostToChatOptions['ctx'];
  chat: ClaimedChat;
  err: TelegramRateLimitError;
  at: Date;
  limiter: SendLimiter;
  rateLimits: RateLimitTracker;
};

/** A 429 pauses this chat for retry_after; 429s from several chats of the bot pause the bot. Nothing was posted: the slot is served after the wait. */
async function onRateLimited({ ctx, chat, err, at, limiter, rateLimits }: OnRateLimitedOptions): Promise<void> {
  const until = new Date(at.getTime() + err.retryAfterSeconds * 1000);
  const botWide = rateLimits.note(chat.senderId, chat.targetChatId, Date.now());
  if (botWide) {
    limiter.pause(chat.senderId, Date.now() + err.retryAfterSeconds * 1000);
    await freezeSender({ db: ctx.db, senderId: chat.senderId, until, reason: err.message });
  }
  const who = botWide ? `@${chat.senderUsername} is over Telegram's limit in several chats` : 'Telegram limits posts in this chat';
  await giveSlotBack({
    ctx,
    chat,
    nextPostAt: until,
    lastError: `Rate-limited: ${who}; the post waits ${err.retryAfterSeconds} s, then goes out (${err.message})`,
  });
}

export type GiveSlotBackOptions = { ctx: PostToChatOptions['ctx']; chat: ClaimedChat; nextPostAt: Date; lastError?: string };

/** Undoes a claim nothing was sent for, so the chat is due again then (unless something moved it on meanwhile). */
export async function giveSlotBack({ ctx, chat, nextPostAt, lastError }: GiveSlotBackOptions): Promise<void> {
  postsInFlight.delete(chat.postId);
  await ctx.db.transaction(async (tx) => {
    await tx.delete(posts).where(and(eq(posts.id, chat.postId), eq(posts.status, 'sending')));
    await tx
      .update(targetChats)
      .set({ nextPostAt, ...(lastError ? { lastError } : {}) })
      .where(and(eq(targetChats.id, chat.targetChatId), eq(targetChats.nextPostAt, chat.claimedNextPostAt), sql`${targetChats.position} >= 0`));
  });
}

import { and, eq, sql } from 'drizzle-orm';
import type { AppContext } from '../../context.js';
import { adbots, posts, senders, targetChats } from '../../db/schema.js';
import { freezeSender } from '../stock/freeze-sender.js';
import { replaceBannedSender } from '../stock/replace-banned-sender.js';
import { accessFix, problemFromError } from './access-fix.js';
import { deliverPost, readStoredPost, type StoredPost } from './deliver-post.js';
import { type SenderTokenCache, tokenFor } from './engine-senders.js';
import { proofUrl } from './proof-url.js';
import { PER_CHAT_GAP_MS, type SendLimiter } from './send-limiter.js';
import { TelegramChatMigratedError, TelegramError, TelegramRateLimitError } from './telegram/errors.js';

export type DueChat = {
  targetChatId: string;
  adbotId: string;
  ref: string;
  chatId: bigint | null;
  username: string | null;
  chatType: string | null;
  senderId: string;
  senderUsername: string;
  senderIsSandbox: boolean;
  intervalSeconds: number;
};

export type PostToChatOptions = {
  ctx: Pick<AppContext, 'db' | 'config' | 'log'>;
  chat: DueChat;
  /** When the tick decided the chat was due: fixes the slot. */
  now: Date;
  /** Read again just before the Bot API call: no post may leave after expiry. */
  clock: () => Date;
  limiter: SendLimiter;
  tokens?: SenderTokenCache;
};

export type PostToChatResult = 'sent' | 'failed' | 'taken' | 'cancelled';

/** floor(epoch seconds / interval): one post per chat per slot. */
export function slotOf(at: Date, intervalSeconds: number): number {
  return Math.floor(at.getTime() / 1000 / intervalSeconds);
}

/**
 * Claims the chat's current slot by inserting its posts row (the unique (chat, slot) index
 * lets exactly one worker win), sends outside any transaction, then records the result.
 * A crash after the send leaves the row 'sending': that slot is skipped, never posted twice.
 */
export async function postToChat({ ctx, chat, now, clock, limiter, tokens }: PostToChatOptions): Promise<PostToChatResult> {
  const slot = slotOf(now, chat.intervalSeconds);
  const claim = await claimSlot({ ctx, chat, now, slot });
  if (!claim) return 'taken';

  const token = await tokenFor({ ctx, sender: { id: chat.senderId, isSandbox: chat.senderIsSandbox }, ...(tokens ? { cache: tokens } : {}) });
  await limiter.acquire(chat.senderId, chat.targetChatId);

  const sendAt = clock();
  if (!(await stillDeliverable({ ctx, chat, at: sendAt }))) {
    // Nothing left the machine: give the slot back instead of counting a failure.
    await ctx.db.delete(posts).where(and(eq(posts.id, claim.postId), eq(posts.status, 'sending')));
    return 'cancelled';
  }

  let target: bigint | string = chat.chatId ?? chat.ref;
  try {
    let delivered: { messageId: number; sandbox: boolean };
    try {
      delivered = await deliverPost({ apiRoot: ctx.config.telegramApiRoot, token, chat: target, post: claim.post });
    } catch (err) {
      if (!(err instanceof TelegramChatMigratedError)) throw err;
      // The group became a supergroup: the new id is permanent, so store it and retry once.
      target = err.migrateToChatId;
      await ctx.db.update(targetChats).set({ chatId: target, chatType: 'supergroup' }).where(eq(targetChats.id, chat.targetChatId));
      delivered = await deliverPost({ apiRoot: ctx.config.telegramApiRoot, token, chat: target, post: claim.post });
    }
    const url = delivered.sandbox ? null : proofUrl({ chatId: typeof target === 'bigint' ? target : null, username: chat.username }, delivered.messageId);
    await ctx.db.transaction(async (tx) => {
      await tx
        .update(posts)
        .set({ status: 'sent', telegramMessageId: delivered.messageId, messageUrl: url, sentAt: sendAt, error: null })
        .where(eq(posts.id, claim.postId));
      await tx.update(targetChats).set({ lastPostAt: sendAt, lastError: null }).where(eq(targetChats.id, chat.targetChatId));
    });
    return 'sent';
  } catch (err) {
    await recordFailure({ ctx, chat, postId: claim.postId, err, at: sendAt });
    return 'failed';
  }
}

type Claim = { postId: string; post: StoredPost };

async function claimSlot({ ctx, chat, now, slot }: { ctx: PostToChatOptions['ctx']; chat: DueChat; now: Date; slot: number }): Promise<Claim | null> {
  return ctx.db.transaction(async (tx) => {
    // Re-read under a row lock: the tick's list may be stale by now (stopped, expired, re-checked).
    const [row] = await tx
      .select({ chat: targetChats, adbot: adbots, senderState: senders.state, senderAdbotId: senders.adbotId })
      .from(targetChats)
      .innerJoin(adbots, eq(adbots.id, targetChats.adbotId))
      .innerJoin(senders, eq(senders.id, chat.senderId))
      .where(eq(targetChats.id, chat.targetChatId))
      .for('update', { of: targetChats });
    if (!row) return null;
    const c = row.chat;
    const post = readStoredPost(row.adbot.post);
    const due =
      row.adbot.status === 'running' &&
      row.adbot.expiresAt > now &&
      c.status === 'ok' &&
      c.position >= 0 &&
      c.senderId === chat.senderId &&
      row.senderState === 'assigned' &&
      row.senderAdbotId === c.adbotId &&
      (c.nextPostAt === null || c.nextPostAt <= now) &&
      (c.lastPostAt === null || now.getTime() - c.lastPostAt.getTime() >= PER_CHAT_GAP_MS) &&
      post !== null;
    if (!due) return null;
    const [claimed] = await tx
      .insert(posts)
      .values({ adbotId: c.adbotId, targetChatId: c.id, senderId: chat.senderId, slot, status: 'sending' })
      .onConflictDoNothing({ target: [posts.targetChatId, posts.slot] })
      .returning({ id: posts.id });
    if (!claimed) return null;
    const interval = row.adbot.postingIntervalSeconds;
    await tx
      .update(targetChats)
      .set({ nextPostAt: new Date((slot + 1) * interval * 1000) })
      .where(eq(targetChats.id, c.id));
    return { postId: claimed.id, post: post! };
  });
}

async function stillDeliverable({ ctx, chat, at }: { ctx: PostToChatOptions['ctx']; chat: DueChat; at: Date }): Promise<boolean> {
  const [row] = await ctx.db
    .select({ status: adbots.status, expiresAt: adbots.expiresAt, chatStatus: targetChats.status, position: targetChats.position })
    .from(targetChats)
    .innerJoin(adbots, eq(adbots.id, targetChats.adbotId))
    .where(eq(targetChats.id, chat.targetChatId));
  return !!row && row.status === 'running' && row.expiresAt > at && row.chatStatus === 'ok' && row.position >= 0;
}

type RecordFailureOptions = { ctx: PostToChatOptions['ctx']; chat: DueChat; postId: string; err: unknown; at: Date };

/** What each kind of Telegram refusal does to the sender and the chat (SPEC §4 limits). */
async function recordFailure({ ctx, chat, postId, err, at }: RecordFailureOptions): Promise<void> {
  const message = err instanceof Error ? err.message : String(err);
  let postError = message;
  let chatUpdate: Partial<typeof targetChats.$inferInsert> = { lastError: `Last post failed: ${message}; retried next time` };

  if (!(err instanceof TelegramError)) {
    ctx.log.error({ err, targetChatId: chat.targetChatId }, 'posting failed unexpectedly');
  } else if (err.kind === 'invalid_token') {
    postError = `Telegram refused @${chat.senderUsername}'s token (${message}): the sender is replaced`;
    chatUpdate = {};
  } else if (err.kind === 'rate_limited') {
    const wait = (err as TelegramRateLimitError).retryAfterSeconds;
    postError = `Rate-limited by Telegram: @${chat.senderUsername} waits ${wait} s (${message})`;
    await freezeSender({ db: ctx.db, senderId: chat.senderId, until: new Date(at.getTime() + wait * 1000), reason: message });
    chatUpdate = { lastError: postError };
  } else if (err.kind === 'forbidden') {
    chatUpdate = { status: 'no_access', lastError: accessFix(problemFromError(message), chat.senderUsername, chat.chatType), lastCheckedAt: at };
  } else if (err.kind === 'bad_request' && /chat not found/i.test(message)) {
    chatUpdate = { status: 'not_found', lastError: `Telegram no longer finds ${chat.ref} — check it, then Re-check`, lastCheckedAt: at };
  } else if (err.kind === 'bad_request' && problemFromError(message) === 'restricted') {
    chatUpdate = { status: 'no_access', lastError: accessFix('restricted', chat.senderUsername, chat.chatType), lastCheckedAt: at };
  }

  await ctx.db.transaction(async (tx) => {
    await tx.update(posts).set({ status: 'failed', error: postError.slice(0, 1000) }).where(eq(posts.id, postId));
    if (Object.keys(chatUpdate).length) {
      await tx.update(targetChats).set(chatUpdate).where(and(eq(targetChats.id, chat.targetChatId), sql`${targetChats.position} >= 0`));
    }
  });
  // After the failure is recorded: the replacement re-points the chat (pending) in its own transaction.
  if (err instanceof TelegramError && err.kind === 'invalid_token') {
    await replaceBannedSender({ ctx, senderId: chat.senderId, reason: message });
  }
}

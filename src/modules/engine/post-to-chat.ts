import { and, eq, gt, sql } from 'drizzle-orm';
import { adbots, posts, senders, targetChats, users } from '../../db/schema.js';
import { confirmTokenRevoked } from '../../integrations/telegram/confirm-token-revoked.js';
import { TelegramChatMigratedError, TelegramError, TelegramRateLimitError } from '../../integrations/telegram/errors.js';
import type { AppContext } from '../../platform/app-context.js';
import { freezeSender } from '../stock/freeze-sender.js';
import { deliverPost, readStoredPost, type StoredPost } from './deliver-post.js';
import { type SenderTokenCache, tokenFor } from './engine-senders.js';
import { proofUrl } from './proof-url.js';
import { recordFailure } from './record-failure.js';
import { PER_CHAT_GAP_MS, type SendLimiter } from './send-limiter.js';

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
  nextPostAt?: Date | null;
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

/**
 * 'taken': another worker has the slot, or the chat was posted to less than 3 s ago;
 * 'cancelled': no longer deliverable at send time; 'deferred': the bot is in a flood wait,
 * the slot was given back and is served after the wait.
 */
export type PostToChatResult = 'sent' | 'failed' | 'taken' | 'cancelled' | 'deferred';

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
  if (!(await limiter.acquire(chat.senderId, chat.targetChatId))) {
    // The bot hit a flood wait while this delivery queued: calling now would only earn
    // another 429, so the slot goes back and is served after the wait.
    await giveSlotBack({ ctx, claim, nextPostAt: claim.previousNextPostAt });
    return 'deferred';
  }

  const sendAt = clock();
  if (!(await stillDeliverable({ ctx, chat, at: sendAt }))) {
    // Nothing left the machine: give the slot back instead of counting a failure.
    await giveSlotBack({ ctx, claim, nextPostAt: claim.previousNextPostAt });
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
    if (err instanceof TelegramRateLimitError) {
      const until = new Date(sendAt.getTime() + err.retryAfterSeconds * 1000);
      limiter.pause(chat.senderId, Date.now() + err.retryAfterSeconds * 1000);
      await freezeSender({ db: ctx.db, senderId: chat.senderId, until, reason: err.message });
      // Nothing was posted: the slot is served once the wait is over, not lost.
      await giveSlotBack({
        ctx,
        claim,
        nextPostAt: until,
        lastError: `Rate-limited by Telegram: @${chat.senderUsername} waits ${err.retryAfterSeconds} s, then posts (${err.message})`,
      });
      return 'deferred';
    }
    const revoked =
      err instanceof TelegramError &&
      err.kind === 'invalid_token' &&
      token !== null &&
      (await confirmTokenRevoked({ apiRoot: ctx.config.telegramApiRoot, token }));
    await recordFailure({ ctx, chat, postId: claim.postId, err, at: sendAt, revoked });
    return 'failed';
  }
}

type Claim = { postId: string; chatId: string; post: StoredPost; claimedNextPostAt: Date; previousNextPostAt: Date | null };

type GiveSlotBackOptions = { ctx: PostToChatOptions['ctx']; claim: Claim; nextPostAt: Date | null; lastError?: string };

/** Undoes a claim nothing was sent for, so the chat is due again (unless something moved it on meanwhile). */
async function giveSlotBack({ ctx, claim, nextPostAt, lastError }: GiveSlotBackOptions): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    await tx.delete(posts).where(and(eq(posts.id, claim.postId), eq(posts.status, 'sending')));
    await tx
      .update(targetChats)
      .set({ nextPostAt, ...(lastError ? { lastError } : {}) })
      .where(and(eq(targetChats.id, claim.chatId), eq(targetChats.nextPostAt, claim.claimedNextPostAt), sql`${targetChats.position} >= 0`));
  });
}

async function claimSlot({ ctx, chat, now, slot }: { ctx: PostToChatOptions['ctx']; chat: DueChat; now: Date; slot: number }): Promise<Claim | null> {
  return ctx.db.transaction(async (tx) => {
    // Re-read under a row lock: the tick's list may be stale by now (stopped, expired, re-checked).
    const [row] = await tx
      .select({ chat: targetChats, adbot: adbots, senderState: senders.state, senderAdbotId: senders.adbotId, userBanned: users.banned })
      .from(targetChats)
      .innerJoin(adbots, eq(adbots.id, targetChats.adbotId))
      .innerJoin(users, eq(users.id, adbots.userId))
      .innerJoin(senders, eq(senders.id, chat.senderId))
      .where(eq(targetChats.id, chat.targetChatId))
      .for('update', { of: targetChats });
    if (!row) return null;
    const c = row.chat;
    const post = readStoredPost(row.adbot.post);
    const due =
      row.adbot.status === 'running' &&
      !row.userBanned &&
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
    // last_post_at is written only after a send returns, so a post still in flight (another
    // worker's, claimed just before the slot boundary) is seen through its posts row instead.
    // The chat row is locked above, so two claims for this chat cannot both pass this check.
    const [recent] = await tx
      .select({ id: posts.id })
      .from(posts)
      .where(and(eq(posts.targetChatId, c.id), gt(posts.createdAt, new Date(now.getTime() - PER_CHAT_GAP_MS))))
      .limit(1);
    if (recent) return null;
    const [claimed] = await tx
      .insert(posts)
      .values({ adbotId: c.adbotId, targetChatId: c.id, senderId: chat.senderId, slot, status: 'sending', createdAt: now })
      .onConflictDoNothing({ target: [posts.targetChatId, posts.slot] })
      .returning({ id: posts.id });
    if (!claimed) return null;
    const interval = row.adbot.postingIntervalSeconds;
    const claimedNextPostAt = new Date((slot + 1) * interval * 1000);
    await tx.update(targetChats).set({ nextPostAt: claimedNextPostAt }).where(eq(targetChats.id, c.id));
    return { postId: claimed.id, chatId: c.id, post: post!, claimedNextPostAt, previousNextPostAt: c.nextPostAt };
  });
}

async function stillDeliverable({ ctx, chat, at }: { ctx: PostToChatOptions['ctx']; chat: DueChat; at: Date }): Promise<boolean> {
  const [row] = await ctx.db
    .select({
      status: adbots.status,
      expiresAt: adbots.expiresAt,
      userBanned: users.banned,
      chatStatus: targetChats.status,
      position: targetChats.position,
      chatSenderId: targetChats.senderId,
      senderState: senders.state,
      senderAdbotId: senders.adbotId,
    })
    .from(targetChats)
    .innerJoin(adbots, eq(adbots.id, targetChats.adbotId))
    .innerJoin(users, eq(users.id, adbots.userId))
    .innerJoin(senders, eq(senders.id, chat.senderId))
    .where(eq(targetChats.id, chat.targetChatId));
  return (
    !!row &&
    row.status === 'running' &&
    !row.userBanned &&
    row.expiresAt > at &&
    row.chatStatus === 'ok' &&
    row.position >= 0 &&
    // A 429 (frozen), a ban or a release since the claim: this bot must not call Telegram now.
    row.chatSenderId === chat.senderId &&
    row.senderState === 'assigned' &&
    row.senderAdbotId === chat.adbotId
  );
}

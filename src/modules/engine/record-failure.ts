// What a failed send does to the post, the chat, the ad and the sender (SPEC §4 limits), decided
// by the error taxonomy (telegram-error-taxonomy.ts).
import { and, desc, eq, type SQL, sql } from 'drizzle-orm';
import { posts, targetChats } from '../../db/schema.js';
import { TelegramError } from '../../integrations/telegram/errors.js';
import type { AppContext } from '../../platform/app-context.js';
import { pauseAdOnError } from '../adbots/pause-ad-on-error.js';
import { replaceBannedSender } from '../stock/replace-banned-sender.js';
import { accessFix } from './access-fix.js';
import { classifyTelegramError } from './telegram-error-taxonomy.js';

/** The parts of post-to-chat's DueChat a failure needs (declared here: importing it would be a cycle). */
export type FailedChat = {
  targetChatId: string;
  adbotId: string;
  ref: string;
  chatType: string | null;
  senderId: string;
  senderUsername: string;
};

export type RecordFailureOptions = {
  ctx: Pick<AppContext, 'db' | 'config' | 'log'>;
  chat: FailedChat;
  postId: string;
  err: unknown;
  at: Date;
  /** A 401 that getMe confirmed: only then is the sender banned. */
  revoked: boolean;
};

/**
 * 'retry': the chat keeps its schedule; 'chat': the chat left the schedule (no_access, not_found,
 * or error after repeated unknown refusals); 'ad': the adbot was paused for its ad; 'sender': the
 * sender was replaced.
 */
export type RecordFailureResult = { outcome: 'retry' | 'chat' | 'ad' | 'sender' };

/** A chat that cannot be posted to is looked at again after this, then with the checker's back-off. */
export const TERMINAL_RECHECK_MS = 2 * 60_000;

/** Unknown refusals: this many identical ones in a row in one chat and the chat is marked error. */
export const UNKNOWN_FAILURES_BEFORE_ERROR = 3;

type ChatInsert = typeof targetChats.$inferInsert;
type ChatUpdate = { [K in keyof ChatInsert]?: ChatInsert[K] | SQL };

/** What each kind of Telegram refusal does to the sender, the chat and the ad. */
export async function recordFailure({ ctx, chat, postId, err, at, revoked }: RecordFailureOptions): Promise<RecordFailureResult> {
  const message = err instanceof Error ? err.message : String(err);
  if (!(err instanceof TelegramError)) ctx.log.error({ err, targetChatId: chat.targetChatId }, 'posting failed unexpectedly');

  if (err instanceof TelegramError && err.kind === 'invalid_token') {
    const postError = revoked
      ? `Telegram refused @${chat.senderUsername}'s token (${message}): the sender is replaced`
      : `Telegram answered ${message} once, but @${chat.senderUsername} still works: retried next time`;
    await write({ ctx, chat, postId, postError, chatUpdate: revoked ? {} : retryUpdate(message), at });
    // After the failure is recorded: the replacement re-points the chat (pending) in its own transaction.
    if (revoked) await replaceBannedSender({ ctx, senderId: chat.senderId, reason: message });
    return { outcome: revoked ? 'sender' : 'retry' };
  }

  const verdict = classifyTelegramError(err);
  if (verdict.kind === 'chat') {
    const fix = accessFix(verdict.problem, chat.senderUsername, chat.chatType, chat.ref);
    await write({ ctx, chat, postId, postError: `${message}: ${fix}`, chatUpdate: terminalUpdate({ status: verdict.status, lastError: fix, at }), at });
    return { outcome: 'chat' };
  }
  if (verdict.kind === 'ad') {
    // The post row keeps Telegram's words; the chat keeps its schedule for when the ad is fixed.
    const postError = `${message}: the ad was paused (${verdict.reason})`;
    await write({ ctx, chat, postId, postError, chatUpdate: { lastError: `Last post failed: the ad was paused (${verdict.reason})` }, at });
    await pauseAdOnError({ db: ctx.db, adbotId: chat.adbotId, reason: verdict.reason, at });
    return { outcome: 'ad' };
  }
  const postError = message;
  const gaveUp = await write({ ctx, chat, postId, postError, chatUpdate: retryUpdate(message), at, countUnknown: verdict.unknown === true });
  return { outcome: gaveUp ? 'chat' : 'retry' };
}

const retryUpdate = (message: string): ChatUpdate => ({ lastError: `Last post failed: ${message}; retried next time` });

function terminalUpdate({ status, lastError, at }: { status: 'no_access' | 'not_found' | 'error'; lastError: string; at: Date }): ChatUpdate {
  return {
    status,
    lastError,
    lastCheckedAt: at,
    nextCheckAt: new Date(at.getTime() + TERMINAL_RECHECK_MS),
    checkFailures: sql`${targetChats.checkFailures} + 1`,
  };
}

type WriteOptions = {
  ctx: RecordFailureOptions['ctx'];
  chat: FailedChat;
  postId: string;
  postError: string;
  chatUpdate: ChatUpdate;
  at: Date;
  /** An unknown refusal: give the chat up when the last few posts all failed with this same error. */
  countUnknown?: boolean;
};

/** Records the failed post and the chat's new state in one transaction; true when an unknown refusal made the chat give up. */
async function write({ ctx, chat, postId, postError, chatUpdate, at, countUnknown = false }: WriteOptions): Promise<boolean> {
  const error = postError.slice(0, 1000);
  return ctx.db.transaction(async (tx) => {
    await tx.update(posts).set({ status: 'failed', error }).where(eq(posts.id, postId));
    let update = chatUpdate;
    let gaveUp = false;
    if (countUnknown) {
      const recent = await tx
        .select({ status: posts.status, error: posts.error })
        .from(posts)
        .where(eq(posts.targetChatId, chat.targetChatId))
        .orderBy(desc(posts.createdAt), desc(posts.id))
        .limit(UNKNOWN_FAILURES_BEFORE_ERROR);
      gaveUp = recent.length === UNKNOWN_FAILURES_BEFORE_ERROR && recent.every((p) => p.status === 'failed' && p.error === error);
      if (gaveUp) {
        const lastError = `Telegram refused the last ${UNKNOWN_FAILURES_BEFORE_ERROR} posts here with "${postError}" — check the chat, then Re-check`;
        update = terminalUpdate({ status: 'error', lastError, at });
      }
    }
    if (Object.keys(update).length) {
      await tx
        .update(targetChats)
        .set(update)
        .where(and(eq(targetChats.id, chat.targetChatId), sql`${targetChats.position} >= 0`));
    }
    return gaveUp;
  });
}

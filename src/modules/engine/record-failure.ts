// What a failed send does to the post, the chat and the sender (SPEC §4 limits).
import { and, eq, sql } from 'drizzle-orm';
import { posts, targetChats } from '../../db/schema.js';
import { TelegramError } from '../../integrations/telegram/errors.js';
import type { AppContext } from '../../platform/app-context.js';
import { replaceBannedSender } from '../stock/replace-banned-sender.js';
import { accessFix, problemFromError } from './access-fix.js';
import type { DueChat } from './post-to-chat.js';

export type RecordFailureOptions = {
  ctx: Pick<AppContext, 'db' | 'config' | 'log'>;
  chat: DueChat;
  postId: string;
  err: unknown;
  at: Date;
  /** A 401 that getMe confirmed: only then is the sender banned. */
  revoked: boolean;
};

/** What each kind of Telegram refusal does to the sender and the chat (SPEC §4 limits). */
export async function recordFailure({ ctx, chat, postId, err, at, revoked }: RecordFailureOptions): Promise<void> {
  const message = err instanceof Error ? err.message : String(err);
  let postError = message;
  let chatUpdate: Partial<typeof targetChats.$inferInsert> = { lastError: `Last post failed: ${message}; retried next time` };

  if (!(err instanceof TelegramError)) {
    ctx.log.error({ err, targetChatId: chat.targetChatId }, 'posting failed unexpectedly');
  } else if (err.kind === 'invalid_token' && revoked) {
    postError = `Telegram refused @${chat.senderUsername}'s token (${message}): the sender is replaced`;
    chatUpdate = {};
  } else if (err.kind === 'invalid_token') {
    postError = `Telegram answered ${message} once, but @${chat.senderUsername} still works: retried next time`;
  } else if (err.kind === 'forbidden') {
    chatUpdate = { status: 'no_access', lastError: accessFix(problemFromError(message), chat.senderUsername, chat.chatType), lastCheckedAt: at };
  } else if (err.kind === 'bad_request' && /chat not found/i.test(message)) {
    chatUpdate = { status: 'not_found', lastError: `Telegram no longer finds ${chat.ref} — check it, then Re-check`, lastCheckedAt: at };
  } else if (err.kind === 'bad_request' && problemFromError(message) === 'restricted') {
    chatUpdate = { status: 'no_access', lastError: accessFix('restricted', chat.senderUsername, chat.chatType), lastCheckedAt: at };
  }

  await ctx.db.transaction(async (tx) => {
    await tx
      .update(posts)
      .set({ status: 'failed', error: postError.slice(0, 1000) })
      .where(eq(posts.id, postId));
    if (Object.keys(chatUpdate).length) {
      await tx
        .update(targetChats)
        .set(chatUpdate)
        .where(and(eq(targetChats.id, chat.targetChatId), sql`${targetChats.position} >= 0`));
    }
  });
  // After the failure is recorded: the replacement re-points the chat (pending) in its own transaction.
  if (revoked) {
    await replaceBannedSender({ ctx, senderId: chat.senderId, reason: message });
  }
}

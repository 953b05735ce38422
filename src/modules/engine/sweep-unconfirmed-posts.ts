import { and, eq, inArray, isNull, lt, or } from 'drizzle-orm';
import { posts, targetChats } from '../../db/schema.js';
import type { AppContext } from '../../platform/app-context.js';

export type SweepUnconfirmedPostsOptions = {
  ctx: Pick<AppContext, 'db'>;
  /** Senders whose lease this worker holds: nobody else is delivering for them right now. */
  heldSenderIds: string[];
  /** The tick's clock: rows claimed by this tick are in flight, not abandoned. */
  now: Date;
};

export const UNCONFIRMED_NOTE = 'Sent, not confirmed: the worker stopped before Telegram answered, so there is no message id or link';

/**
 * A 'sending' row whose worker crashed (or lost the database) after the Bot API call never
 * learns the result: the post very likely went out. It becomes 'unconfirmed' — counted as
 * sent, shown as "sent, not confirmed", and, like any claimed slot, never sent again.
 * A row is abandoned when its sender's lease is ours and it was claimed before this tick:
 * a worker delivers only under the lease, and its deliveries end within their tick.
 */
export async function sweepUnconfirmedPosts({ ctx, heldSenderIds, now }: SweepUnconfirmedPostsOptions): Promise<number> {
  if (heldSenderIds.length === 0) return 0;
  return ctx.db.transaction(async (tx) => {
    const swept = await tx
      .update(posts)
      .set({ status: 'unconfirmed', error: UNCONFIRMED_NOTE })
      .where(and(eq(posts.status, 'sending'), inArray(posts.senderId, heldSenderIds), lt(posts.createdAt, now)))
      .returning({ targetChatId: posts.targetChatId, claimedAt: posts.createdAt });
    // The chat shows when it was last posted to (its claim time: the send followed within moments).
    for (const p of swept) {
      await tx
        .update(targetChats)
        .set({ lastPostAt: p.claimedAt })
        .where(and(eq(targetChats.id, p.targetChatId), or(isNull(targetChats.lastPostAt), lt(targetChats.lastPostAt, p.claimedAt))));
    }
    return swept.length;
  });
}

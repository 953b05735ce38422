// The engine's chat checks each tick: pending chats and failed checks (with back-off), a few adbots at a time.
import { and, asc, eq, gt, gte, inArray, ne } from 'drizzle-orm';
import { adbots, targetChats } from '../../db/schema.js';
import type { AppContext } from '../../platform/app-context.js';
import { checkAdbotChats, dueForCheck } from './check-adbot-chats.js';
import type { SenderTokenCache } from './engine-senders.js';

const MAX_ADBOTS_CHECKED_PER_TICK = 20;

export type CheckDueChatsOptions = {
  ctx: Pick<AppContext, 'db' | 'config' | 'log'>;
  now: Date;
  tokens: SenderTokenCache;
  deadline: number;
  signal: AbortSignal | undefined;
};

/** Pending chats and failed checks of a few adbots, until the deadline; returns how many were checked. */
export async function checkDueChats({ ctx, now, tokens, deadline, signal }: CheckDueChatsOptions): Promise<number> {
  const toCheck = await ctx.db
    .selectDistinct({ adbotId: targetChats.adbotId })
    .from(targetChats)
    .innerJoin(adbots, eq(adbots.id, targetChats.adbotId))
    .where(
      and(
        inArray(adbots.status, ['running', 'stopped']),
        gt(adbots.expiresAt, now),
        gte(targetChats.position, 0),
        // Pending chats, and (with back-off) the ones that could not be posted to.
        // Implied by dueForCheck; spelled out so the partial index of unchecked chats is used, not a scan of every chat.
        ne(targetChats.status, 'ok'),
        dueForCheck(now),
      ),
    )
    .orderBy(asc(targetChats.adbotId))
    .limit(MAX_ADBOTS_CHECKED_PER_TICK);
  let checked = 0;
  for (const { adbotId } of toCheck) {
    if (signal?.aborted || Date.now() >= deadline) break;
    try {
      checked += (await checkAdbotChats({ ctx, adbotId, which: 'due', now, limit: 50, tokens, deadline, ...(signal ? { signal } : {}) })).checked;
    } catch (err) {
      ctx.log.error({ err, adbotId }, 'engine: chat check failed');
    }
  }
  return checked;
}

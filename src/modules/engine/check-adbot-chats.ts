import { and, eq, gte, inArray, isNotNull, isNull, lte, ne, or, type SQL, sql } from 'drizzle-orm';
import { targetChats } from '../../db/schema.js';
import type { AppContext } from '../../platform/app-context.js';
import { checkChat } from './check-chat.js';
import { type EngineSender, listWorkingSenders, type SenderTokenCache } from './engine-senders.js';

/** A chat whose check failed on Telegram's side is tried again after this long. */
export const ERROR_RECHECK_MS = 2 * 60_000;

/**
 * Chats that cannot be posted to (no_access, not_found, error) are checked again on their own:
 * next_check_at = check time + min(base × 2^check_failures, max), so 1, 2, 4 … minutes, then
 * every 6 hours. A check that succeeds, the customer's Re-check, and listing the chat again
 * start the count over. A chat whose bot was removed (a my_chat_member update) has no
 * next_check_at: the update that adds the bot back brings it back.
 */
export const RECHECK_BACKOFF_BASE_MS = 60_000;
export const RECHECK_BACKOFF_MAX_MS = 6 * 3600_000;

export function nextRecheckAt(now: Date, failuresBefore: number): Date {
  const wait = Math.min(RECHECK_BACKOFF_MAX_MS, RECHECK_BACKOFF_BASE_MS * 2 ** Math.min(failuresBefore, 30));
  return new Date(now.getTime() + wait);
}

/** A chat the engine checks now: pending, a failed check whose back-off is over, or an error without one (older rows). */
export function dueForCheck(now: Date): SQL {
  return or(
    eq(targetChats.status, 'pending'),
    and(inArray(targetChats.status, ['no_access', 'not_found', 'error']), isNotNull(targetChats.nextCheckAt), lte(targetChats.nextCheckAt, now)),
    and(
      eq(targetChats.status, 'error'),
      isNull(targetChats.nextCheckAt),
      or(isNull(targetChats.lastCheckedAt), lte(targetChats.lastCheckedAt, new Date(now.getTime() - ERROR_RECHECK_MS))),
    ),
  )!;
}

export type CheckAdbotChatsOptions = {
  ctx: Pick<AppContext, 'db' | 'config' | 'log'>;
  adbotId: string;
  /** 'due': pending chats and failed checks (the engine); 'all': every active chat (the customer's Re-check). */
  which: 'due' | 'all';
  now?: Date;
  limit?: number;
  tokens?: SenderTokenCache;
  /** Date.now() value after which no further chat is checked (the engine's per-tick budget). */
  deadline?: number;
  /** Shutdown: stop between chats and abort Telegram calls in flight. */
  signal?: AbortSignal;
};

export type CheckAdbotChatsResult = { checked: number; ok: number };

/**
 * Checks the adbot's chats and gives each to a sender that may post there, spreading them
 * round-robin by load: the sender serving the fewest chats is asked first, and a chat keeps
 * its current sender while that one still can post. Removed chats (position -1) are never touched.
 */
export async function checkAdbotChats({
  ctx,
  adbotId,
  which,
  now = new Date(),
  limit = 200,
  tokens,
  deadline,
  signal,
}: CheckAdbotChatsOptions): Promise<CheckAdbotChatsResult> {
  let working: EngineSender[] = await listWorkingSenders({ ctx, adbotId });
  const chats = await chatsToCheck(ctx, adbotId, which, now, limit);
  if (chats.length === 0) return { checked: 0, ok: 0 };
  const load = await senderLoad(ctx, adbotId, working);

  let checked = 0;
  let ok = 0;
  for (const chat of chats) {
    if (signal?.aborted || (deadline !== undefined && Date.now() >= deadline)) break;
    const current = chat.status === 'ok' && chat.senderId ? chat.senderId : null;
    if (current) load.set(current, (load.get(current) ?? 1) - 1);
    const ordered = [...working].sort((a, b) => {
      if (a.id === current) return -1;
      if (b.id === current) return 1;
      return (load.get(a.id) ?? 0) - (load.get(b.id) ?? 0);
    });
    const { outcome, lostSenderIds } = await checkChat({ ctx, chat, senders: ordered, now, ...(tokens ? { tokens } : {}), ...(signal ? { signal } : {}) });
    // An aborted call says nothing about the chat: leave it as it was for the next run.
    if (signal?.aborted) break;
    if (lostSenderIds.length) working = working.filter((s) => !lostSenderIds.includes(s.id));
    checked++;
    const senderId = await saveOutcome(ctx, chat, outcome, now, which);
    if (senderId) {
      load.set(senderId, (load.get(senderId) ?? 0) + 1);
      ok++;
    }
  }
  return { checked, ok };
}

type Ctx = CheckAdbotChatsOptions['ctx'];
type TargetChat = typeof targetChats.$inferSelect;
type Outcome = Awaited<ReturnType<typeof checkChat>>['outcome'];

const activeChatsOf = (adbotId: string) => and(eq(targetChats.adbotId, adbotId), gte(targetChats.position, 0));

async function chatsToCheck(ctx: Ctx, adbotId: string, which: 'due' | 'all', now: Date, limit: number): Promise<TargetChat[]> {
  const active = activeChatsOf(adbotId);
  return ctx.db
    .select()
    .from(targetChats)
    .where(which === 'all' ? active : and(active, dueForCheck(now)))
    .orderBy(targetChats.position)
    .limit(limit);
}

/** How many ok chats each working sender serves: the least loaded is asked first. */
async function senderLoad(ctx: Ctx, adbotId: string, working: EngineSender[]): Promise<Map<string, number>> {
  const active = activeChatsOf(adbotId);
  const load = new Map<string, number>(working.map((s) => [s.id, 0]));
  const served = await ctx.db
    .select({ senderId: targetChats.senderId, n: sql<number>`count(*)::int` })
    .from(targetChats)
    .where(
      and(
        active,
        eq(targetChats.status, 'ok'),
        inArray(targetChats.senderId, working.length ? working.map((s) => s.id) : ['00000000-0000-0000-0000-000000000000']),
      ),
    )
    .groupBy(targetChats.senderId);
  for (const r of served) if (r.senderId) load.set(r.senderId, Number(r.n));

  return load;
}

/** Records one chat's check; returns the sender it now posts with, if any. */
async function saveOutcome(ctx: Ctx, chat: TargetChat, outcome: Outcome, now: Date, which: 'due' | 'all'): Promise<string | null> {
  const active = activeChatsOf(chat.adbotId);
  if (outcome.status === 'pending') {
    await ctx.db
      .update(targetChats)
      .set({ lastError: outcome.lastError })
      .where(and(eq(targetChats.id, chat.id), gte(targetChats.position, 0)));
    return null;
  }
  const slowMode = slowModeOf(outcome);
  if (outcome.status === 'error' && chat.status === 'ok') {
    // Telegram hiccuped during a re-check: a chat that was fine keeps posting.
    await ctx.db
      .update(targetChats)
      .set({ lastCheckedAt: now, ...slowMode })
      .where(eq(targetChats.id, chat.id));
    return null;
  }
  if (outcome.status === 'ok' && outcome.chatId !== null) {
    // The same chat listed twice (say `@name` and its numeric id) must still get one post per interval.
    const [twin] = await ctx.db
      .select({ ref: targetChats.ref })
      .from(targetChats)
      .where(and(active, ne(targetChats.id, chat.id), eq(targetChats.chatId, outcome.chatId), eq(targetChats.status, 'ok')))
      .limit(1);
    if (twin) {
      await ctx.db
        .update(targetChats)
        .set({
          status: 'error',
          senderId: null,
          chatId: outcome.chatId,
          title: outcome.title,
          ...slowMode,
          lastError: `Same chat as ${twin.ref} — it is listed twice, so it is posted to once. Remove one of them.`,
          lastCheckedAt: now,
        })
        .where(and(eq(targetChats.id, chat.id), gte(targetChats.position, 0)));
      return null;
    }
  }
  const senderId = outcome.status === 'ok' ? outcome.senderId : null;
  // The customer's Re-check starts the back-off over; the engine's own re-checks double it.
  const failuresBefore = which === 'all' ? 0 : chat.checkFailures;
  await ctx.db
    .update(targetChats)
    .set({
      ...(outcome.status === 'ok'
        ? { checkFailures: 0, nextCheckAt: null }
        : { checkFailures: failuresBefore + 1, nextCheckAt: nextRecheckAt(now, failuresBefore) }),
      status: outcome.status,
      senderId,
      chatId: outcome.chatId,
      username: outcome.username,
      title: outcome.title,
      chatType: outcome.chatType,
      ...slowMode,
      lastError: outcome.status === 'ok' ? null : outcome.lastError,
      lastCheckedAt: now,
    })
    .where(and(eq(targetChats.id, chat.id), gte(targetChats.position, 0)));
  return senderId;
}

/** The slow mode Telegram reported, to store; nothing when no one asked (a sandbox sender): the stored value stands. */
function slowModeOf(outcome: Exclude<Outcome, { status: 'pending' }>): { slowModeSeconds?: number } {
  return outcome.slowModeSeconds === null ? {} : { slowModeSeconds: outcome.slowModeSeconds };
}

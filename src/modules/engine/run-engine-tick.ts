import { and, eq, gt, gte, isNotNull, isNull, lt, lte, or, sql } from 'drizzle-orm';
import pLimit from 'p-limit';
import { adbots, posts, senders, targetChats, users } from '../../db/schema.js';
import type { AppContext } from '../../platform/app-context.js';
import { observeEngineLag, recordPost } from '../../platform/metrics.js';
import { thawSenders } from '../stock/freeze-sender.js';
import { checkDueChats } from './check-due-chats.js';
import type { SenderTokenCache } from './engine-senders.js';
import { type DueChat, type PostToChatResult, postToChat } from './post-to-chat.js';
import { PER_CHAT_GAP_MS, SendLimiter } from './send-limiter.js';
import { leaseSenders } from './sender-lease.js';
import { sweepUnconfirmedPosts } from './sweep-unconfirmed-posts.js';

export type RunEngineTickOptions = {
  ctx: Pick<AppContext, 'db' | 'config' | 'log'>;
  /** The engine's clock; tests inject one. Read once per tick and again before every send. */
  clock?: () => Date;
  limiter?: SendLimiter;
  /** Deliveries in flight at once (the limiter still paces each bot and chat). */
  concurrency?: number;
  /** How long chat checks may run in one tick: a slow Telegram must not stall the loop. */
  checkBudgetMs?: number;
  /** Aborted on shutdown: the tick ends between deliveries and checks. */
  signal?: AbortSignal;
};

/** `busy`: due chats left to the worker that holds their sender's lease; `unconfirmed`: abandoned sends swept. */
export type RunEngineTickResult = { thawed: number; checked: number; due: number; busy: number; unconfirmed: number } & Record<PostToChatResult, number>;

// One per process: Telegram's limits are per bot, whichever tick is sending.
const processLimiter = new SendLimiter();

const MAX_DUE_PER_TICK = 2000;
const CHECK_BUDGET_MS = 10_000;

/**
 * One pass of the posting engine, safe to run in any number of workers at once: thaw
 * senders whose flood wait is over, re-queue chats that lost their sender, check pending
 * chats, and deliver every chat whose slot is due (see postToChat for the exactly-once claim).
 */
export async function runEngineTick({
  ctx,
  clock = () => new Date(),
  limiter = processLimiter,
  concurrency = 16,
  checkBudgetMs = CHECK_BUDGET_MS,
  signal,
}: RunEngineTickOptions): Promise<RunEngineTickResult> {
  const now = clock();
  const result: RunEngineTickResult = { thawed: 0, checked: 0, due: 0, busy: 0, unconfirmed: 0, sent: 0, failed: 0, taken: 0, cancelled: 0, deferred: 0 };
  const tokens: SenderTokenCache = new Map();
  result.thawed = await thawSenders({ db: ctx.db, now });
  await requeueChatsWithoutSender(ctx);
  const due = await findDueChats(ctx, now);
  result.due = due.length;
  await deliverDue({ ctx, due, now, clock, limiter, tokens, concurrency, signal, result });
  if (signal?.aborted) return result;
  // Checks come after deliveries: a slow Telegram answer must not delay posts that are due.
  // The budget starts with the checks: deliveries keep priority, checks take what is left.
  result.checked = await checkDueChats({ ctx, now, tokens, deadline: Date.now() + checkBudgetMs, signal });
  return result;
}

type Ctx = RunEngineTickOptions['ctx'];

/** A chat whose sender was released, banned or moved is checked again to find another one. */
async function requeueChatsWithoutSender(ctx: Ctx): Promise<void> {
  await ctx.db
    .update(targetChats)
    .set({ status: 'pending', senderId: null })
    .where(
      and(
        eq(targetChats.status, 'ok'),
        gte(targetChats.position, 0),
        sql`not exists (select 1 from ${senders} s where s.id = ${targetChats.senderId} and s.adbot_id = ${targetChats.adbotId} and s.state in ('assigned', 'frozen'))`,
      ),
    );
}

async function findDueChats(ctx: Ctx, now: Date): Promise<DueChat[]> {
  return ctx.db
    .select({
      targetChatId: targetChats.id,
      adbotId: targetChats.adbotId,
      ref: targetChats.ref,
      chatId: targetChats.chatId,
      username: targetChats.username,
      chatType: targetChats.chatType,
      senderId: sql<string>`${senders.id}`,
      senderUsername: senders.username,
      senderIsSandbox: senders.isSandbox,
      intervalSeconds: adbots.postingIntervalSeconds,
      nextPostAt: targetChats.nextPostAt,
    })
    .from(targetChats)
    .innerJoin(adbots, eq(adbots.id, targetChats.adbotId))
    .innerJoin(users, eq(users.id, adbots.userId))
    .innerJoin(senders, eq(senders.id, targetChats.senderId))
    .where(
      and(
        eq(adbots.status, 'running'),
        eq(users.banned, false),
        gt(adbots.expiresAt, now),
        eq(targetChats.status, 'ok'),
        gte(targetChats.position, 0),
        or(isNull(targetChats.nextPostAt), lte(targetChats.nextPostAt, now)),
        or(isNull(targetChats.lastPostAt), lte(targetChats.lastPostAt, new Date(now.getTime() - PER_CHAT_GAP_MS))),
        eq(senders.state, 'assigned'),
        eq(senders.adbotId, adbots.id),
      ),
    )
    .orderBy(sql`${targetChats.nextPostAt} asc nulls first`)
    .limit(MAX_DUE_PER_TICK);
}

type DeliverDueOptions = {
  ctx: Ctx;
  due: DueChat[];
  now: Date;
  clock: () => Date;
  limiter: SendLimiter;
  tokens: SenderTokenCache;
  concurrency: number;
  signal: AbortSignal | undefined;
  result: RunEngineTickResult;
};

/** Delivers the due chats whose senders this worker leases, `concurrency` at a time. */
async function deliverDue({ ctx, due, now, clock, limiter, tokens, concurrency, signal, result }: DeliverDueOptions): Promise<void> {
  // Senders with a send left 'sending' by an earlier tick (a crash, a lost database): under
  // their lease nobody is delivering for them, so those rows are swept to 'unconfirmed'.
  const stale = await ctx.db
    .selectDistinct({ senderId: posts.senderId })
    .from(posts)
    .where(and(eq(posts.status, 'sending'), lt(posts.createdAt, now), isNotNull(posts.senderId)));
  const leaseIds = [...due.map((c) => c.senderId), ...stale.map((s) => s.senderId!)];

  if (leaseIds.length === 0 || signal?.aborted) return;
  const lease = await leaseSenders({ ctx, senderIds: leaseIds });
  try {
    result.unconfirmed = await sweepUnconfirmedPosts({ ctx, heldSenderIds: [...lease.held], now });
    if (result.unconfirmed) ctx.log.warn({ count: result.unconfirmed }, 'engine: sends left unconfirmed by a stopped worker recorded');
    const mine = due.filter((c) => lease.held.has(c.senderId));
    result.busy = due.length - mine.length;
    const limit = pLimit(concurrency);
    const deliver = async (chat: DueChat) => {
      if (signal?.aborted) return;
      try {
        observeEngineLag(chat.nextPostAt ? (clock().getTime() - chat.nextPostAt.getTime()) / 1000 : 0);
        const outcome = await postToChat({ ctx, chat, now, clock, limiter, tokens });
        result[outcome]++;
        recordPost(outcome);
      } catch (err) {
        // A database hiccup on one chat must not stop the others; its slot may be skipped.
        ctx.log.error({ err, targetChatId: chat.targetChatId }, 'engine: delivery step failed');
      }
    };
    await Promise.all(mine.map((chat) => limit(() => deliver(chat))));
  } finally {
    await lease.release();
  }
}

import { sql } from 'drizzle-orm';
import pLimit from 'p-limit';
import type { AppContext } from '../../platform/app-context.js';
import { observeEngineLag, recordPost } from '../../platform/metrics.js';
import { thawSenders } from '../stock/freeze-sender.js';
import { checkDueChats } from './check-due-chats.js';
import { type ClaimedChat, claimDueChats, nextDueAt } from './claim-due-chats.js';
import type { SenderTokenCache } from './engine-senders.js';
import { AttemptMarker } from './mark-attempts.js';
import { giveSlotBack, type PostToChatResult, postToChat } from './post-to-chat.js';
import { RateLimitTracker } from './rate-limits.js';
import { DeliveryRecorder, postsInFlight } from './record-deliveries.js';
import { SendLimiter } from './send-limiter.js';
import { holdSenderLeases, PROCESS_WORKER_ID } from './sender-lease.js';
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
  /** Which worker this tick runs as (its sender leases); tests play several in one process. */
  workerId?: string;
  /** Chats claimed per statement. */
  batchSize?: number;
};

/**
 * `due`: chats claimed; `held`: senders this worker leases (their updates are read by it too);
 * `nextDueAt`: when its next chat is due (the loop sleeps until then); `unconfirmed`: abandoned sends swept.
 */
export type RunEngineTickResult = {
  thawed: number;
  checked: number;
  due: number;
  busy: number;
  unconfirmed: number;
  /** A batch came back full: more is due right now. */
  more: boolean;
  held: ReadonlySet<string>;
  nextDueAt: Date | null;
} & Record<PostToChatResult, number>;

// One per process: Telegram's limits are per bot, whichever tick is sending.
const processLimiter = new SendLimiter();
const processRateLimits = new RateLimitTracker();

/**
 * Sender tokens, kept across ticks: a token belongs to its sender row for life (a revoked one
 * bans the sender, and its chats move to another), so the cache only bounds its age.
 */
let tokenCache: SenderTokenCache = new Map();
let tokenCacheSince = 0;
const TOKEN_CACHE_MS = 60_000;

function processTokens(): SenderTokenCache {
  if (Date.now() - tokenCacheSince > TOKEN_CACHE_MS) {
    tokenCache = new Map();
    tokenCacheSince = Date.now();
  }
  return tokenCache;
}

/** The senders each worker held after its last renewal that worked. */
const lastHeld = new Map<string, ReadonlySet<string>>();

const BATCH_SIZE = 500;
const MAX_BATCHES_PER_TICK = 4;
const CHECK_BUDGET_MS = 10_000;

/**
 * One pass of the posting engine, safe to run in any number of workers at once: renew this
 * worker's sender leases, thaw senders whose flood wait is over, sweep abandoned sends, claim
 * due chats in batches and deliver them, then check pending chats with the time left.
 */
export async function runEngineTick({
  ctx,
  clock = () => new Date(),
  limiter = processLimiter,
  concurrency = 96,
  checkBudgetMs = CHECK_BUDGET_MS,
  signal,
  workerId = PROCESS_WORKER_ID,
  batchSize = BATCH_SIZE,
}: RunEngineTickOptions): Promise<RunEngineTickResult> {
  const now = clock();
  const result: RunEngineTickResult = {
    thawed: 0,
    checked: 0,
    due: 0,
    busy: 0,
    unconfirmed: 0,
    more: false,
    held: new Set(),
    nextDueAt: null,
    sent: 0,
    failed: 0,
    taken: 0,
    cancelled: 0,
    deferred: 0,
  };
  const tokens = processTokens();
  result.thawed = await thawSenders({ db: ctx.db, now });
  await requeueChatsWithoutSender(ctx);
  try {
    result.held = await holdSenderLeases({ ctx, workerId, now });
    lastHeld.set(workerId, result.held);
  } catch (err) {
    // Renewing or handing back failed: deliveries go on under the leases still held (the claim
    // checks them in the database); the next tick renews again.
    result.held = lastHeld.get(workerId) ?? new Set();
    ctx.log.warn({ err }, 'engine: sender leases not renewed this tick');
  }
  result.unconfirmed = await sweepUnconfirmedPosts({ ctx, workerId, now });
  if (result.unconfirmed) ctx.log.warn({ count: result.unconfirmed }, 'engine: sends left unconfirmed by a stopped worker recorded');

  const recorder = new DeliveryRecorder(ctx);
  const attempts = new AttemptMarker(ctx);
  try {
    for (let batch = 0; batch < MAX_BATCHES_PER_TICK && !signal?.aborted; batch++) {
      const claimed = await claimDueChats({ ctx, workerId, now, limit: batchSize });
      for (const c of claimed) postsInFlight.add(c.postId);
      result.due += claimed.length;
      await deliverAll({ ctx, claimed, clock, limiter, recorder, attempts, tokens, concurrency, signal, result });
      result.more = claimed.length === batchSize;
      if (!result.more) break;
    }
  } finally {
    await recorder.flush();
  }
  if (signal?.aborted) return result;
  // Checks come after deliveries: a slow Telegram answer must not delay posts that are due.
  // The budget starts with the checks: deliveries keep priority, checks take what is left.
  result.checked = await checkDueChats({ ctx, now, tokens, deadline: Date.now() + checkBudgetMs, signal });
  // A tick that claimed something is followed by another one shortly (the loop's shortest
  // sleep) whatever is due next; only an idle tick asks how long it may sleep.
  result.nextDueAt = result.due > 0 ? now : await nextDueAt({ ctx, workerId });
  return result;
}

type Ctx = RunEngineTickOptions['ctx'];

let lastRequeueMs = 0;
const REQUEUE_EVERY_MS = 1000;

/**
 * A chat whose sender was released, banned or moved is checked again to find another one. The
 * stock paths re-point chats themselves; this is the safety net, so once a second is enough.
 */
async function requeueChatsWithoutSender(ctx: Ctx): Promise<void> {
  if (Date.now() - lastRequeueMs < REQUEUE_EVERY_MS) return;
  lastRequeueMs = Date.now();
  await ctx.db.execute(sql`
    update target_chats tc set status = 'pending', sender_id = null
    where tc.status = 'ok' and tc.position >= 0
      and not exists (select 1 from senders s where s.id = tc.sender_id and s.adbot_id = tc.adbot_id and s.state in ('assigned', 'frozen'))`);
}

type DeliverAllOptions = {
  ctx: Ctx;
  claimed: ClaimedChat[];
  clock: () => Date;
  limiter: SendLimiter;
  recorder: DeliveryRecorder;
  attempts: AttemptMarker;
  tokens: SenderTokenCache;
  concurrency: number;
  signal: AbortSignal | undefined;
  result: RunEngineTickResult;
};

/** Delivers a claimed batch, `concurrency` at a time. */
async function deliverAll({ ctx, claimed, clock, limiter, recorder, attempts, tokens, concurrency, signal, result }: DeliverAllOptions): Promise<void> {
  const limit = pLimit(concurrency);
  const deliver = async (chat: ClaimedChat) => {
    // Shutdown: nothing was sent for this claim, so its slot goes back to be served by whoever runs next.
    if (signal?.aborted) return giveSlotBack({ ctx, chat, nextPostAt: chat.dueAt }).catch(() => postsInFlight.delete(chat.postId));
    try {
      observeEngineLag((clock().getTime() - chat.dueAt.getTime()) / 1000);
      const outcome = await postToChat({ ctx, chat, clock, limiter, rateLimits: processRateLimits, recorder, attempts, tokens });
      result[outcome]++;
      recordPost(outcome);
    } catch (err) {
      // A database hiccup on one chat must not stop the others; its slot may be skipped.
      postsInFlight.delete(chat.postId);
      ctx.log.error({ err, targetChatId: chat.targetChatId }, 'engine: delivery step failed');
    }
  };
  await Promise.all(claimed.map((chat) => limit(() => deliver(chat))));
}

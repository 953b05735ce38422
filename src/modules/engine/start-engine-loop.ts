// What drives the engine: each worker process runs its own loop. A tick claims what is due
// now; the loop then sleeps until this worker's next chat is due (never a fixed tick), at once
// when a batch came back full, and at most IDLE_MS so new bots, checks and lease renewals are
// picked up. Any number of workers may run: claims are disjoint and each post exactly-once.
import type { AppContext } from '../../platform/app-context.js';
import { runEngineTick } from './run-engine-tick.js';
import { dropSenderLeases, PROCESS_WORKER_ID } from './sender-lease.js';

export type StartEngineLoopOptions = {
  ctx: AppContext;
  /** The longest sleep between ticks. */
  idleMs?: number;
  /** The shortest sleep after a tick that emptied what was due: chats due within it wait for the next tick. */
  minTickMs?: number;
  /** Called after every tick with the senders this worker leases (the updates poller follows them). */
  onLeases?: (senderIds: ReadonlySet<string>) => void;
};

export type EngineLoop = { stop(): Promise<void> };

const IDLE_MS = 5000;
/**
 * Each tick costs a dozen statements whatever it claims (leases, sweep, checks, next due), so
 * ticks are at least this far apart unless a batch came back full: at 333 posts/s a tick claims
 * dozens of chats, not two or three, and a chat is claimed at most this late.
 */
const MIN_TICK_MS = 200;
/** A failed tick (database down) is retried after this, not in a hot loop. */
const RETRY_MS = 2000;

export function startEngineLoop({ ctx, idleMs = IDLE_MS, minTickMs = MIN_TICK_MS, onLeases }: StartEngineLoopOptions): EngineLoop {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  // Shutdown should not wait for a slow Telegram: the tick stops between steps, and calls in flight are aborted.
  const abort = new AbortController();

  const tick = async (): Promise<number> => {
    try {
      const r = await runEngineTick({ ctx, signal: abort.signal });
      onLeases?.(r.held);
      if (r.sent || r.failed || r.checked || r.deferred) {
        const { held, nextDueAt, ...counts } = r;
        ctx.log.info({ ...counts, leased: held.size }, 'engine tick');
      }
      if (r.more) return 0;
      const untilDue = r.nextDueAt ? r.nextDueAt.getTime() - Date.now() : idleMs;
      return Math.min(idleMs, Math.max(minTickMs, untilDue));
    } catch (err) {
      ctx.log.error({ err }, 'engine tick failed; retrying shortly');
      return RETRY_MS;
    }
  };
  const loop = async () => {
    const wait = await tick();
    if (stopped) return;
    timer = setTimeout(() => {
      running = loop();
    }, wait);
  };
  running = loop();

  return {
    async stop() {
      stopped = true;
      abort.abort();
      if (timer) clearTimeout(timer);
      await running;
      await dropSenderLeases({ ctx, workerId: PROCESS_WORKER_ID }).catch((err) => ctx.log.warn({ err }, 'engine: leases not handed back; they lapse'));
    },
  };
}

// What drives the engine: pg-boss cron fires once a minute at best, and an interval can be
// as short as 10 s, so each worker process runs its own tick every few seconds. Any number
// of workers may do so: the per-slot claim in postToChat keeps every post exactly-once.
import type { AppContext } from '../../platform/app-context.js';
import { runEngineTick } from './run-engine-tick.js';

export type StartEngineLoopOptions = { ctx: AppContext; intervalMs?: number };

export type EngineLoop = { stop(): Promise<void> };

export function startEngineLoop({ ctx, intervalMs = 5000 }: StartEngineLoopOptions): EngineLoop {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  // Shutdown should not wait for a slow Telegram: the tick stops between steps, and calls in flight are aborted.
  const abort = new AbortController();

  const tick = async () => {
    try {
      const r = await runEngineTick({ ctx, signal: abort.signal });
      if (r.sent || r.failed || r.checked || r.deferred) ctx.log.info(r, 'engine tick');
    } catch (err) {
      ctx.log.error({ err }, 'engine tick failed; next tick in a few seconds');
    }
  };
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = tick().finally(schedule);
    }, intervalMs);
  };
  running = tick().finally(schedule);

  return {
    async stop() {
      stopped = true;
      abort.abort();
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}

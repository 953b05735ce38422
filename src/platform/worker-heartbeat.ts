// Proof that a worker process is alive, shared through the database so that any process's
// readiness can see it. The `heartbeat` cron job (recordQueueHeartbeat) beats once a
// minute through the queue; a minute-cron is too coarse for a 60 s threshold, so a worker
// also beats every 15 s on its own timer.
import { sql } from 'drizzle-orm';
import { settings } from '../db/schema.js';
import type { AppContext } from './app-context.js';

export const WORKER_ALIVE_KEY = 'worker.alive';
const QUEUE_HEARTBEAT_KEY = 'worker.heartbeat';
const BEAT_MS = 15_000;

export type WorkerHeartbeat = { stop(): Promise<void> };

export type StartWorkerHeartbeatOptions = { ctx: AppContext; intervalMs?: number };

/** Beats now (resolving once that beat is written) and every `intervalMs`; call in every process that runs the worker role. */
export async function startWorkerHeartbeat({ ctx, intervalMs = BEAT_MS }: StartWorkerHeartbeatOptions): Promise<WorkerHeartbeat> {
  let pending: Promise<void> = Promise.resolve();
  const beat = () => {
    const value = { at: new Date().toISOString(), pid: process.pid };
    pending = ctx.db
      .insert(settings)
      .values({ key: WORKER_ALIVE_KEY, value })
      .onConflictDoUpdate({ target: settings.key, set: { value, updatedAt: sql`now()` } })
      .then(
        () => {},
        (err: unknown) => ctx.log.warn({ err }, 'worker heartbeat not written; next beat retries'),
      );
  };
  beat();
  await pending;
  const timer = setInterval(beat, intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await pending;
    },
  };
}

/** Seconds since the freshest worker beat, by the database clock; null when no worker ever beat. */
export async function heartbeatAgeSeconds(ctx: AppContext): Promise<number | null> {
  const res = (await ctx.db.execute(
    sql`select extract(epoch from now() - max(updated_at))::float8 as age from ${settings} where key in (${WORKER_ALIVE_KEY}, ${QUEUE_HEARTBEAT_KEY})`,
  )) as unknown as { rows: { age: number | string | null }[] };
  const age = res.rows[0]?.age;
  return age === null || age === undefined ? null : Number(age);
}

/** The `heartbeat` job's handler: proves the queue round-trips (cron → worker → database). */
export async function recordQueueHeartbeat(ctx: AppContext, sentAt: string): Promise<void> {
  const value = { sentAt, ranAt: new Date().toISOString() };
  await ctx.db
    .insert(settings)
    .values({ key: QUEUE_HEARTBEAT_KEY, value })
    .onConflictDoUpdate({ target: settings.key, set: { value, updatedAt: sql`now()` } });
}

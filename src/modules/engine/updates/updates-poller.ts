// Polling mode: one getUpdates long-poll loop per sender this worker leases (a bot's updates
// may be read by one getUpdates at a time, and the lease makes this worker the one). The
// engine loop calls sync(held) after every tick; a loop whose lease went elsewhere is aborted.
import { eq } from 'drizzle-orm';
import { senders } from '../../../db/schema.js';
import { deleteWebhook, getUpdates } from '../../../integrations/telegram/client.js';
import { TelegramError, TelegramRateLimitError } from '../../../integrations/telegram/errors.js';
import type { AppContext } from '../../../platform/app-context.js';
import { getSenderToken } from '../../stock/get-sender-token.js';
import { setSenderWebhookUrl } from '../../stock/record-sender-updates.js';
import { ALLOWED_UPDATES } from './ensure-webhooks.js';
import { handleUpdate } from './handle-update.js';

export type UpdatesPollerOptions = {
  ctx: Pick<AppContext, 'db' | 'config' | 'log'>;
  /** getUpdates' `timeout`: how long Telegram holds a poll while nothing happens. */
  longPollSeconds?: number;
  /** After a failed poll: base × 2^failures, at most maxBackoffMs. */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** A sender whose token Telegram refused (401/404) is not polled again before this. */
  parkMs?: number;
};

export type UpdatesPoller = {
  /** Starts a loop for each sender in `held` without one, aborts the loops of the others. */
  sync(held: ReadonlySet<string>): void;
  /** Senders with a loop running now. */
  readonly polling: ReadonlySet<string>;
  stop(): Promise<void>;
};

const LONG_POLL_SECONDS = 25;

type Loop = { abort: AbortController; done: Promise<void> };

export function createUpdatesPoller({
  ctx,
  longPollSeconds = LONG_POLL_SECONDS,
  backoffMs = 1000,
  maxBackoffMs = 60_000,
  parkMs = 10 * 60_000,
}: UpdatesPollerOptions): UpdatesPoller {
  const loops = new Map<string, Loop>();
  /** Sandbox senders (nothing to read) and refused tokens: not started again until this time. */
  const parked = new Map<string, number>();
  let stopped = false;

  const sleep = (ms: number, signal: AbortSignal) =>
    new Promise<void>((resolve) => {
      if (signal.aborted) return resolve();
      const t = setTimeout(done, ms);
      function done() {
        clearTimeout(t);
        signal.removeEventListener('abort', done);
        resolve();
      }
      signal.addEventListener('abort', done, { once: true });
    });

  async function run(senderId: string, signal: AbortSignal): Promise<void> {
    const [row] = await ctx.db.select({ isSandbox: senders.isSandbox, offset: senders.updatesOffset }).from(senders).where(eq(senders.id, senderId));
    if (!row || row.isSandbox) {
      parked.set(senderId, Number.POSITIVE_INFINITY);
      return;
    }
    const token = await getSenderToken({ ctx, senderId });
    const apiRoot = ctx.config.telegramApiRoot;
    let offset = row.offset ?? undefined;
    let failures = 0;
    while (!signal.aborted && !stopped) {
      try {
        const updates = await getUpdates({
          apiRoot,
          token,
          longPollSeconds,
          allowedUpdates: ALLOWED_UPDATES,
          signal,
          ...(offset !== undefined ? { offset } : {}),
        });
        for (const update of updates) {
          const { updateId } = await handleUpdate({ ctx, senderId, update });
          // Confirmed with the next poll's offset only after it was applied (or found applied).
          if (updateId !== null) offset = Math.max(offset ?? 0, updateId + 1);
        }
        failures = 0;
      } catch (caught) {
        let err = caught;
        if (signal.aborted || stopped) return;
        if (err instanceof TelegramRateLimitError) {
          await sleep(err.retryAfterSeconds * 1000, signal);
          continue;
        }
        if (err instanceof TelegramError && err.errorCode === 409 && /webhook/i.test(err.message)) {
          // A webhook from webhook mode (or another install) is in the way: polling mode removes it.
          try {
            await deleteWebhook({ apiRoot, token });
            await setSenderWebhookUrl(ctx.db, senderId, null);
            ctx.log.info({ senderId }, 'telegram: webhook deleted to read updates with getUpdates');
            continue;
          } catch (deleteErr) {
            err = deleteErr;
          }
        }
        if (err instanceof TelegramError && (err.errorCode === 401 || err.errorCode === 404)) {
          // The token is refused: the engine's revoked-token path confirms and replaces the sender.
          ctx.log.warn({ senderId, err: err.message }, 'telegram: getUpdates refused the token; polling this sender stopped');
          parked.set(senderId, Date.now() + parkMs);
          return;
        }
        failures++;
        const wait = Math.min(maxBackoffMs, backoffMs * 2 ** (failures - 1));
        ctx.log.warn({ senderId, err: err instanceof Error ? err.message : String(err), retryInMs: wait }, 'telegram: reading updates failed');
        await sleep(wait, signal);
      }
    }
  }

  function start(senderId: string): void {
    const abort = new AbortController();
    const loop: Loop = {
      abort,
      done: run(senderId, abort.signal)
        .catch((err) => ctx.log.error({ err, senderId }, 'telegram: updates loop failed'))
        .finally(() => {
          if (loops.get(senderId) === loop) loops.delete(senderId);
        }),
    };
    loops.set(senderId, loop);
  }

  return {
    sync(held) {
      if (stopped) return;
      for (const [id, loop] of loops) if (!held.has(id)) loop.abort.abort();
      const now = Date.now();
      for (const id of held) {
        if (loops.has(id)) continue;
        const until = parked.get(id);
        if (until !== undefined && until > now) continue;
        parked.delete(id);
        start(id);
      }
      for (const id of parked.keys()) if (!held.has(id)) parked.delete(id);
    },
    get polling() {
      return new Set(loops.keys());
    },
    async stop() {
      stopped = true;
      const all = [...loops.values()];
      for (const l of all) l.abort.abort();
      await Promise.all(all.map((l) => l.done));
    },
  };
}

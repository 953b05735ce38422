// How sender bots' updates are read, as TELEGRAM_UPDATES says: the engine loop hands every
// tick's leased senders to onLeases; polling runs a getUpdates loop per sender, webhook mode
// sets each sender's webhook once (the API route receives the updates), off does nothing.
import type { AppContext } from '../../../platform/app-context.js';
import { ensureWebhooks } from './ensure-webhooks.js';
import { createUpdatesPoller, type UpdatesPollerOptions } from './updates-poller.js';

export type SenderUpdates = {
  onLeases(held: ReadonlySet<string>): void;
  stop(): Promise<void>;
};

export type StartSenderUpdatesOptions = Omit<UpdatesPollerOptions, 'ctx'> & { ctx: Pick<AppContext, 'db' | 'config' | 'log'> };

export function startSenderUpdates({ ctx, ...pollerOptions }: StartSenderUpdatesOptions): SenderUpdates {
  const mode = ctx.config.telegramUpdates;
  if (mode === 'off') return { onLeases() {}, async stop() {} };
  if (mode === 'webhook') {
    let running: Promise<unknown> | null = null;
    let stopped = false;
    return {
      onLeases(held) {
        // One pass at a time: a slow setWebhook must not pile up passes, the next tick retries.
        if (running || stopped) return;
        running = ensureWebhooks({ ctx, senderIds: held })
          .catch((err) => ctx.log.warn({ err }, 'telegram: webhooks not set; tried again next tick'))
          .finally(() => {
            running = null;
          });
      },
      async stop() {
        stopped = true;
        await running;
      },
    };
  }
  const poller = createUpdatesPoller({ ctx, ...pollerOptions });
  return { onLeases: (held) => poller.sync(held), stop: () => poller.stop() };
}

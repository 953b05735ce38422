// Composition root for the worker: which use case runs each job. Definitions (name, payload,
// options) are in src/platform/jobs/definitions.ts, where any module may import them to send a
// job; handlers live here so that sending a job never imports the code that runs it.
import { fulfilBackorders } from '../modules/fulfilment/fulfil-backorders.js';
import { fulfilOrder } from '../modules/fulfilment/fulfil-order.js';
import { runExpiry } from '../modules/fulfilment/run-expiry.js';
import { STUCK_AFTER_MS, watchFulfilments } from '../modules/fulfilment/watch-fulfilments.js';
import { sendEmail } from '../modules/notifications/send-email.js';
import { reconcilePayments } from '../modules/payments/reconcile-payments.js';
import { topUpShortAdbots } from '../modules/stock/top-up-short-adbots.js';
import type { AppContext } from '../platform/app-context.js';
import type { JobHandlers } from '../platform/jobs/definitions.js';
import { recordQueueHeartbeat } from '../platform/worker-heartbeat.js';

export function jobHandlers(ctx: AppContext): JobHandlers {
  return {
    heartbeat: ({ sentAt }) => recordQueueHeartbeat(ctx, sentAt),
    'fulfil-order': async ({ orderId }) => {
      await fulfilOrder({ ctx, orderId });
    },
    'fulfil-backorders': () => processBackorders(ctx),
    'send-email': async ({ emailId }) => {
      await sendEmail({ ctx, emailId });
    },
    'run-expiry': async () => {
      const result = await runExpiry({ ctx });
      if (result.reminded || result.expired || result.released) ctx.log.info(result, 'expiry run');
    },
    'reconcile-payments': async () => {
      const result = await reconcilePayments({ ctx });
      if (result.checked || result.expired || result.failedStuck) ctx.log.info(result, 'payments reconciled');
    },
    'watch-fulfilments': async ({ olderThanSeconds }) => {
      await watchFulfilments({ ctx, olderThanMs: olderThanSeconds ? olderThanSeconds * 1000 : STUCK_AFTER_MS });
    },
  };
}

/** Paid back-ordered orders first, oldest first; then adbots short of a banned sender get what is left. */
export async function processBackorders(ctx: AppContext): Promise<void> {
  const { fulfilled, waiting } = await fulfilBackorders({ ctx });
  if (fulfilled || waiting) ctx.log.info({ fulfilled, waiting }, 'back-ordered orders processed');
  if (waiting === 0) {
    const { added } = await topUpShortAdbots({ ctx });
    if (added) ctx.log.info({ added }, 'short adbots topped up');
  }
}

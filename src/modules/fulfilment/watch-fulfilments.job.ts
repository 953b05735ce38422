import { z } from 'zod';
import { defineJob } from '../../jobs/define-job.js';
import { STUCK_AFTER_MS, watchFulfilments } from './watch-fulfilments.js';

/** Every minute: re-enqueues paid orders whose fulfilment got lost (see watch-fulfilments.ts). */
export const watchFulfilmentsJob = defineJob({
  name: 'watch-fulfilments',
  // The cron sends `{sentAt}`; a test or an operator may send a shorter age.
  payload: z.object({ olderThanSeconds: z.number().int().positive().optional() }).loose(),
  cron: '* * * * *',
  options: { retryLimit: 2, retryDelay: 30, retryBackoff: false, expireInSeconds: 60 },
  async handler(ctx, { olderThanSeconds }) {
    await watchFulfilments({ ctx, olderThanMs: olderThanSeconds ? olderThanSeconds * 1000 : STUCK_AFTER_MS });
  },
});

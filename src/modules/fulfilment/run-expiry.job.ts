import { z } from 'zod';
import { defineJob } from '../../jobs/define-job.js';
import { runExpiry } from './run-expiry.js';

export const runExpiryJob = defineJob({
  name: 'run-expiry',
  payload: z.object({ sentAt: z.string().optional() }).loose(),
  cron: '* * * * *',
  options: { retryLimit: 2, retryDelay: 30, retryBackoff: false },
  async handler(ctx) {
    const result = await runExpiry({ ctx });
    if (result.reminded || result.expired || result.released) ctx.log.info(result, 'expiry run');
  },
});

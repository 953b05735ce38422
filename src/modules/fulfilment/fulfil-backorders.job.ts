import { z } from 'zod';
import { defineJob } from '../../jobs/define-job.js';
import { fulfilBackorders } from './fulfil-backorders.js';

/**
 * Sent whenever senders are added or go back to stock: fulfils back-ordered paid orders,
 * oldest first. The minute cron is the safety net for stock freed by paths that do not send it.
 */
export const fulfilBackordersJob = defineJob({
  name: 'fulfil-backorders',
  payload: z.object({}),
  cron: '* * * * *',
  async handler(ctx) {
    const { fulfilled, waiting } = await fulfilBackorders({ ctx });
    if (fulfilled || waiting) ctx.log.info({ fulfilled, waiting }, 'back-ordered orders processed');
  },
});

import { z } from 'zod';
import { defineJob } from '../../jobs/define-job.js';
import { topUpShortAdbots } from '../stock/top-up-short-adbots.js';
import { fulfilBackorders } from './fulfil-backorders.js';

/**
 * Sent whenever senders are added or go back to stock: fulfils back-ordered paid orders,
 * oldest first, then replaces banned senders of adbots that ran short. The minute cron is the safety net for stock freed by paths that do not send it.
 */
export const fulfilBackordersJob = defineJob({
  name: 'fulfil-backorders',
  payload: z.object({}),
  cron: '* * * * *',
  async handler(ctx) {
    const { fulfilled, waiting } = await fulfilBackorders({ ctx });
    if (fulfilled || waiting) ctx.log.info({ fulfilled, waiting }, 'back-ordered orders processed');
    // Paid orders first; then adbots running short of a banned sender get what is left.
    if (waiting === 0) {
      const { added } = await topUpShortAdbots({ ctx });
      if (added) ctx.log.info({ added }, 'short adbots topped up');
    }
  },
});

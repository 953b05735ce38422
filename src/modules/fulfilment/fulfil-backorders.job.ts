import { z } from 'zod';
import { defineJob } from '../../jobs/define-job.js';
import { fulfilBackorders } from './fulfil-backorders.js';

/** Sent by the stock module whenever senders are added: fulfils back-ordered paid orders, oldest first. */
export const fulfilBackordersJob = defineJob({
  name: 'fulfil-backorders',
  payload: z.object({}),
  async handler(ctx) {
    const { fulfilled, waiting } = await fulfilBackorders({ ctx });
    if (fulfilled || waiting) ctx.log.info({ fulfilled, waiting }, 'back-ordered orders processed');
  },
});

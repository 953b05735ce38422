import { z } from 'zod';
import { defineJob } from '../../jobs/define-job.js';

/** Sent when stock arrives: fulfils back-ordered paid orders, oldest first. */
export const fulfilBackordersJob = defineJob({
  name: 'fulfil-backorders',
  payload: z.object({}),
  async handler(_ctx) {
    // Implemented by the fulfilment work (issue 4).
  },
});

import { z } from 'zod';
import { defineJob } from '../../jobs/define-job.js';
import { fulfilOrder } from './fulfil-order.js';

/** Enqueued in the same transaction that marks an order paid. */
export const fulfilOrderJob = defineJob({
  name: 'fulfil-order',
  payload: z.object({ orderId: z.uuid() }),
  // A short expiry: the job of a killed worker is retried within a minute, not after 5.
  options: { retryLimit: 20, retryDelay: 5, retryBackoff: true, expireInSeconds: 60 },
  async handler(ctx, { orderId }) {
    await fulfilOrder({ ctx, orderId });
  },
});

import { z } from 'zod';
import { defineJob } from '../../jobs/define-job.js';
import { fulfilOrder } from './fulfil-order.js';

/** Enqueued in the same transaction that marks an order paid. */
export const fulfilOrderJob = defineJob({
  name: 'fulfil-order',
  payload: z.object({ orderId: z.uuid() }),
  options: { retryLimit: 20, retryDelay: 5, retryBackoff: true },
  async handler(ctx, { orderId }) {
    await fulfilOrder({ ctx, orderId });
  },
});

import { z } from 'zod';
import { defineJob } from '../../jobs/define-job.js';
import { reconcilePayments } from './reconcile-payments.js';

/** Every minute: recover lost IPNs and let unpaid invoices lapse. */
export const reconcilePaymentsJob = defineJob({
  name: 'reconcile-payments',
  payload: z.object({ sentAt: z.string().optional() }),
  cron: '* * * * *',
  options: { retryLimit: 0, expireInSeconds: 120 },
  async handler(ctx) {
    const result = await reconcilePayments({ ctx });
    if (result.checked || result.expired || result.failedStuck) ctx.log.info(result, 'payments reconciled');
  },
});

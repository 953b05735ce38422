import { z } from 'zod';
import { defineJob } from '../../jobs/define-job.js';
import { sendEmail } from './send-email.js';

/** Enqueued with the change that causes the email (see queue-email.ts). */
export const sendEmailJob = defineJob({
  name: 'send-email',
  payload: z.object({ emailId: z.uuid() }),
  // A short expiry: the email of a killed worker goes out within minutes, not after 5.
  options: { retryLimit: 10, retryDelay: 30, retryBackoff: true, expireInSeconds: 60 },
  async handler(ctx, { emailId }) {
    await sendEmail({ ctx, emailId });
  },
});

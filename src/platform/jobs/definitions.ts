// Every job the worker runs: name, payload and options. A job is added here and its handler in
// src/jobs/handlers.ts; the type checker refuses a definition without a handler.
import { z } from 'zod';
import { defineJob } from './define-job.js';

/** Proves the queue round-trips on both databases: the worker records when it last ran. */
export const heartbeatJob = defineJob({
  name: 'heartbeat',
  payload: z.object({ sentAt: z.string() }),
  cron: '* * * * *',
});

/** Enqueued in the same transaction that marks an order paid. */
export const fulfilOrderJob = defineJob({
  name: 'fulfil-order',
  payload: z.object({ orderId: z.uuid() }),
  // A short expiry: the job of a killed worker is retried within a minute, not after 5.
  options: { retryLimit: 20, retryDelay: 5, retryBackoff: true, expireInSeconds: 60 },
});

/**
 * Sent whenever senders are added or go back to stock: fulfils back-ordered paid orders,
 * oldest first, then replaces banned senders of adbots that ran short. The minute cron is the
 * safety net for stock freed by paths that do not send it.
 */
export const fulfilBackordersJob = defineJob({
  name: 'fulfil-backorders',
  payload: z.object({}),
  cron: '* * * * *',
});

/** Enqueued with the change that causes the email (see src/platform/notifications/queue-email.ts). */
export const sendEmailJob = defineJob({
  name: 'send-email',
  payload: z.object({ emailId: z.uuid() }),
  // A short expiry: the email of a killed worker goes out within minutes, not after 5.
  options: { retryLimit: 10, retryDelay: 30, retryBackoff: true, expireInSeconds: 60 },
});

export const runExpiryJob = defineJob({
  name: 'run-expiry',
  payload: z.object({ sentAt: z.string().optional() }).loose(),
  cron: '* * * * *',
  options: { retryLimit: 2, retryDelay: 30, retryBackoff: false },
});

/** Every minute: recover lost IPNs and let unpaid invoices lapse. */
export const reconcilePaymentsJob = defineJob({
  name: 'reconcile-payments',
  payload: z.object({ sentAt: z.string().optional() }),
  cron: '* * * * *',
  options: { retryLimit: 0, expireInSeconds: 120 },
});

/** Every minute: re-enqueues paid orders whose fulfilment got lost (see watch-fulfilments.ts). */
export const watchFulfilmentsJob = defineJob({
  name: 'watch-fulfilments',
  // The cron sends `{sentAt}`; a test or an operator may send a shorter age.
  payload: z.object({ olderThanSeconds: z.number().int().positive().optional() }).loose(),
  cron: '* * * * *',
  options: { retryLimit: 2, retryDelay: 30, retryBackoff: false, expireInSeconds: 60 },
});

export const jobDefinitions = [
  heartbeatJob,
  fulfilOrderJob,
  fulfilBackordersJob,
  sendEmailJob,
  runExpiryJob,
  reconcilePaymentsJob,
  watchFulfilmentsJob,
] as const;

type Defs = (typeof jobDefinitions)[number];
export type JobName = Defs['name'];
export type JobPayload<N extends JobName> = z.infer<Extract<Defs, { name: N }>['payload']>;
/** One handler per job; src/jobs/handlers.ts builds this for the worker. */
export type JobHandlers = { [N in JobName]: (data: JobPayload<N>) => Promise<void> };

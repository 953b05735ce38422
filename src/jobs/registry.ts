// The typed list of every job the worker runs. A job is added here and nowhere else.
import type { z } from 'zod';
import { fulfilBackordersJob } from '../modules/fulfilment/fulfil-backorders.job.js';
import { fulfilOrderJob } from '../modules/fulfilment/fulfil-order.job.js';
import { runExpiryJob } from '../modules/fulfilment/run-expiry.job.js';
import { watchFulfilmentsJob } from '../modules/fulfilment/watch-fulfilments.job.js';
import { sendEmailJob } from '../modules/notifications/send-email.job.js';
import { reconcilePaymentsJob } from '../modules/payments/reconcile-payments.job.js';
import { heartbeatJob } from './heartbeat.js';

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

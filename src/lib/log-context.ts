// Fields bound to every log line of one request or job (request id, order, payment, adbot),
// carried by AsyncLocalStorage so use cases keep logging through plain `ctx.log`.
import { AsyncLocalStorage } from 'node:async_hooks';

export type LogFields = {
  requestId?: string;
  orderId?: string;
  paymentId?: string;
  adbotId?: string;
  job?: string;
  jobId?: string;
};

const storage = new AsyncLocalStorage<LogFields>();

/** Runs `fn` with `fields` bound to its log lines (and to what it calls). */
export function withLogContext<T>(fields: LogFields, fn: () => T): T {
  return storage.run({ ...storage.getStore(), ...fields }, fn);
}

/** Adds ids learnt part-way (the order a request resolved, say) to the current request or job. */
export function bindLogContext(fields: LogFields): void {
  const store = storage.getStore();
  if (!store) return;
  for (const [k, v] of Object.entries(fields)) if (v !== undefined && v !== null) store[k as keyof LogFields] = v;
}

export function currentLogContext(): LogFields {
  return storage.getStore() ?? {};
}

/** The current request id, for the data of jobs it enqueues. */
export function currentRequestId(): string | undefined {
  return storage.getStore()?.requestId;
}

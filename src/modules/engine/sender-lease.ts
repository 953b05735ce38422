// Telegram's limits are per bot, and each worker's SendLimiter only sees its own sends; a bot's
// updates may be read by one getUpdates at a time. So each sender is driven by one worker at a
// time: the worker holding its lease (senders.lease_owner, renewed every few seconds, shared
// fairly among live workers; see stock/sender-leases.ts). The due-chat claim only takes chats
// whose sender this worker leases. No transaction or connection stays open across Telegram calls,
// and a crashed worker's leases lapse after LEASE_TTL_MS.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { AppContext } from '../../platform/app-context.js';
import { releaseSenderLeases, renewSenderLeases } from '../stock/sender-leases.js';

export const LEASE_TTL_MS = 30_000;

/** This process's engine identity. Tests pass their own to play several workers in one process. */
export const PROCESS_WORKER_ID = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;

export type HoldSenderLeasesOptions = {
  ctx: Pick<AppContext, 'db'>;
  workerId: string;
  /** The engine's clock. */
  now: Date;
  /** Senders with a delivery in flight: kept even when the fair share shrinks. */
  busy?: ReadonlySet<string>;
};

/**
 * The senders this worker may drive now. Renewed on every tick: three statements, against a
 * batch of claims, and a bot started a moment ago is picked up by the next tick.
 */
export async function holdSenderLeases({ ctx, workerId, now, busy = new Set() }: HoldSenderLeasesOptions): Promise<ReadonlySet<string>> {
  return renewSenderLeases({ db: ctx.db, workerId, now, ttlMs: LEASE_TTL_MS, busy });
}

/** Shutdown: hand every lease back so another worker takes over at once. */
export async function dropSenderLeases({ ctx, workerId }: { ctx: Pick<AppContext, 'db'>; workerId: string }): Promise<void> {
  await releaseSenderLeases({ db: ctx.db, workerId });
}

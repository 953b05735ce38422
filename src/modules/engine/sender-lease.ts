// Telegram's limits are per bot, and each worker's SendLimiter only sees its own sends; a bot's
// updates may be read by one getUpdates at a time. So each sender is driven by one worker at a
// time: the worker holding its lease (senders.lease_owner, shared fairly among live workers; see
// stock/sender-leases.ts). The due-chat claim only takes chats whose sender this worker leases.
// No transaction or connection stays open across Telegram calls, and a crashed worker's leases
// lapse after LEASE_TTL_MS.
//
// Renewing writes every leased row, so it runs every RENEW_EVERY_MS, not every tick (a tick can
// come every few hundred milliseconds: renewing 5,000 leases that often was most of the
// database's work). Between renewals a tick only takes free senders up to its fair share, so a
// bot started a moment ago is still picked up by the next tick.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { AppContext } from '../../platform/app-context.js';
import { releaseSenderLeases, renewSenderLeases, topUpSenderLeases } from '../stock/sender-leases.js';

export const LEASE_TTL_MS = 30_000;
/** Leases are renewed (and the fair share rebalanced) this often; well inside the TTL. */
export const RENEW_EVERY_MS = 5_000;

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

type Held = { renewedAtMs: number; senders: Set<string> };
const heldBy = new Map<string, Held>();

/**
 * The senders this worker may drive now: renewed and rebalanced every RENEW_EVERY_MS of the
 * engine's clock (at once when the clock went back), topped up with free senders on every other
 * tick. A failed renewal keeps what was held: the claim itself checks the lease in the database.
 */
export async function holdSenderLeases({ ctx, workerId, now, busy = new Set() }: HoldSenderLeasesOptions): Promise<ReadonlySet<string>> {
  const held = heldBy.get(workerId);
  const at = now.getTime();
  if (!held || at - held.renewedAtMs >= RENEW_EVERY_MS || at < held.renewedAtMs) {
    const senders = await renewSenderLeases({ db: ctx.db, workerId, now, ttlMs: LEASE_TTL_MS, busy });
    heldBy.set(workerId, { renewedAtMs: at, senders });
    return senders;
  }
  for (const id of await topUpSenderLeases({ db: ctx.db, workerId, now, ttlMs: LEASE_TTL_MS })) held.senders.add(id);
  return held.senders;
}

/** Shutdown: hand every lease back so another worker takes over at once. */
export async function dropSenderLeases({ ctx, workerId }: { ctx: Pick<AppContext, 'db'>; workerId: string }): Promise<void> {
  heldBy.delete(workerId);
  await releaseSenderLeases({ db: ctx.db, workerId });
}

// Which engine worker drives which sender bot: the lease columns of the senders table, owned
// here. A worker renews its leases every few seconds; a lease it stops renewing (a crash, a lost
// database) lapses and another worker takes the sender over. Leases are shared fairly: a worker
// takes free senders only up to its share of the live workers, and hands back what it holds
// beyond that, so a second worker started later gets half of the fleet within one renewal.
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { engineWorkers, senders } from '../../db/schema.js';

export type RenewSenderLeasesOptions = {
  db: Db;
  workerId: string;
  now: Date;
  /** How long a lease lasts without renewal. */
  ttlMs: number;
  /** Senders with a delivery in flight in this worker: never handed back. */
  busy: ReadonlySet<string>;
};

/** A sender the engine may drive: assigned to an adbot (frozen ones too: their updates still matter). */
const ts = (d: Date) => sql`${d.toISOString()}::timestamptz`;

const leasable = sql`${senders.state} in ('assigned', 'frozen') and ${senders.adbotId} is not null`;

/** Renews this worker's leases, takes or hands back senders towards its fair share; returns the senders it holds. */
export async function renewSenderLeases({ db, workerId, now, ttlMs, busy }: RenewSenderLeasesOptions): Promise<Set<string>> {
  const until = new Date(now.getTime() + ttlMs);
  const alive = new Date(now.getTime() - ttlMs);
  await db
    .insert(engineWorkers)
    .values({ id: workerId, seenAt: now })
    .onConflictDoUpdate({ target: engineWorkers.id, set: { seenAt: now } });
  // One statement: forget dead workers, count the live ones and the leasable senders, renew ours.
  const res = (await db.execute(sql`
    with gone as (delete from ${engineWorkers} where ${engineWorkers.seenAt} < ${ts(alive)}),
    live as (select count(*)::int as n from ${engineWorkers} where ${engineWorkers.seenAt} >= ${ts(alive)}),
    total as (select count(*)::int as n from ${senders} where ${leasable}),
    mine as (
      update ${senders} set lease_until = ${ts(until)}
      where ${senders.leaseOwner} = ${workerId} and ${leasable}
      returning ${senders.id} as id
    )
    select (select n from live) as live, (select n from total) as total,
      coalesce((select json_agg(id) from mine), '[]'::json) as mine`)) as unknown as {
    rows: { live: number; total: number; mine: string[] | string }[];
  };
  const row = res.rows[0]!;
  const held = new Set(typeof row.mine === 'string' ? (JSON.parse(row.mine) as string[]) : row.mine);
  const share = Math.ceil(row.total / Math.max(1, row.live));
  if (held.size > share) {
    // Handed back a slice at a time: a worker that held the whole fleet (10,000 bots) when a
    // second one started gives half of it back over a few renewals, never in one statement
    // big enough to stall its own deliveries. A failed hand-back keeps the leases.
    const spare = [...held].filter((id) => !busy.has(id)).slice(0, Math.min(held.size - share, MAX_HANDED_BACK_PER_RENEWAL));
    try {
      await releaseSenderLeases({ db, workerId, senderIds: spare });
      for (const id of spare) held.delete(id);
    } catch {
      // The next renewal tries again; meanwhile this worker keeps driving them.
    }
  } else if (held.size < share) {
    for (const id of await takeFreeSenders({ db, workerId, now, until, count: share - held.size })) held.add(id);
  }
  return held;
}

/** At most this many leases are handed back per renewal, in statements of RELEASE_CHUNK. */
const MAX_HANDED_BACK_PER_RENEWAL = 2000;
const RELEASE_CHUNK = 500;

export type TopUpSenderLeasesOptions = { db: Db; workerId: string; now: Date; ttlMs: number };

/**
 * Between renewals: takes free senders (a bot started since, or a worker that left) up to this
 * worker's fair share. Reads counts only; writes nothing when nothing is free.
 */
export async function topUpSenderLeases({ db, workerId, now, ttlMs }: TopUpSenderLeasesOptions): Promise<string[]> {
  const free = (await db.execute(sql`
    select 1 from ${senders} where ${senders.leaseOwner} is null and ${leasable} limit 1`)) as unknown as { rows: unknown[] };
  if (free.rows.length === 0) return [];
  const alive = new Date(now.getTime() - ttlMs);
  const res = (await db.execute(sql`
    select (select count(*)::int from ${engineWorkers} where ${engineWorkers.seenAt} >= ${ts(alive)}) as live,
      (select count(*)::int from ${senders} where ${leasable}) as total,
      (select count(*)::int from ${senders} where ${senders.leaseOwner} = ${workerId} and ${leasable}) as mine`)) as unknown as {
    rows: { live: number; total: number; mine: number }[];
  };
  const row = res.rows[0]!;
  const room = Math.ceil(row.total / Math.max(1, row.live)) - row.mine;
  if (room <= 0) return [];
  return takeFreeSenders({ db, workerId, now, until: new Date(now.getTime() + ttlMs), count: room });
}

type TakeFreeSendersOptions = { db: Db; workerId: string; now: Date; until: Date; count: number };

async function takeFreeSenders({ db, workerId, now, until, count }: TakeFreeSendersOptions): Promise<string[]> {
  const res = (await db.execute(sql`
    update ${senders} set lease_owner = ${workerId}, lease_until = ${ts(until)}
    where ${senders.id} in (
      select ${senders.id} from ${senders}
      where ${leasable} and (${senders.leaseOwner} is null or ${senders.leaseUntil} is null or ${senders.leaseUntil} < ${ts(now)})
      order by ${senders.id}
      limit ${count}
      for update skip locked
    )
    returning ${senders.id} as id`)) as unknown as { rows: { id: string }[] };
  return res.rows.map((r) => r.id);
}

export type ReleaseSenderLeasesOptions = { db: Db; workerId: string; senderIds?: string[] };

/** Hands leases back (all of this worker's when no ids are given): on shutdown, the next worker need not wait for them to lapse. */
export async function releaseSenderLeases({ db, workerId, senderIds }: ReleaseSenderLeasesOptions): Promise<void> {
  if (!senderIds) {
    await db.execute(sql`update ${senders} set lease_owner = null, lease_until = null where ${senders.leaseOwner} = ${workerId}`);
    await db.delete(engineWorkers).where(sql`${engineWorkers.id} = ${workerId}`);
    return;
  }
  for (let i = 0; i < senderIds.length; i += RELEASE_CHUNK) {
    const ids = `{${senderIds.slice(i, i + RELEASE_CHUNK).join(',')}}`;
    await db.execute(sql`update ${senders} set lease_owner = null, lease_until = null
      where ${senders.id} = any(${ids}::uuid[]) and ${senders.leaseOwner} = ${workerId}`);
  }
}

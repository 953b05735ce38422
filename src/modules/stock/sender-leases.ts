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
    const spare = [...held].filter((id) => !busy.has(id)).slice(0, held.size - share);
    await releaseSenderLeases({ db, workerId, senderIds: spare });
    for (const id of spare) held.delete(id);
  } else if (held.size < share) {
    for (const id of await takeFreeSenders({ db, workerId, now, until, count: share - held.size })) held.add(id);
  }
  return held;
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
  if (senderIds && senderIds.length === 0) return;
  const which = senderIds ? sql` and ${senders.id} in (select jsonb_array_elements_text(${JSON.stringify(senderIds)}::jsonb)::uuid)` : sql``;
  await db.execute(sql`update ${senders} set lease_owner = null, lease_until = null where ${senders.leaseOwner} = ${workerId}${which}`);
  if (!senderIds) await db.delete(engineWorkers).where(sql`${engineWorkers.id} = ${workerId}`);
}

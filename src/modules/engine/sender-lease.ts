// Telegram's limits are per bot, and each worker's SendLimiter only sees its own sends. So a
// worker drives a sender's chats only while it holds that sender's lease; other workers skip
// them this tick. On PostgreSQL the lease is a session advisory lock, all taken on one pooled
// connection held for the delivery phase: nothing to clean up, and a crashed worker's locks
// vanish with its connection. No transaction stays open across the Telegram calls. PGlite is
// one connection owned by one process, so there the lease is an in-process set.
import pg from 'pg';
import type { AppContext } from '../../platform/app-context.js';

export type SenderLease = {
  /** The senders this worker may drive until release(). */
  held: Set<string>;
  release(): Promise<void>;
};

export type LeaseSendersOptions = { ctx: Pick<AppContext, 'db'>; senderIds: string[] };

const inProcess = new Set<string>();

export async function leaseSenders({ ctx, senderIds }: LeaseSendersOptions): Promise<SenderLease> {
  const wanted = [...new Set(senderIds)];
  if (wanted.length === 0) return { held: new Set(), release: async () => {} };
  const pool = (ctx.db as unknown as { $client?: unknown }).$client;
  if (pool instanceof pg.Pool) return leaseWithAdvisoryLocks(pool, wanted);

  const held = new Set(wanted.filter((id) => !inProcess.has(id)));
  for (const id of held) inProcess.add(id);
  return {
    held,
    async release() {
      for (const id of held) inProcess.delete(id);
    },
  };
}

async function leaseWithAdvisoryLocks(pool: pg.Pool, wanted: string[]): Promise<SenderLease> {
  const client = await pool.connect();
  try {
    // Two-key form in its own namespace, so these never meet the app's other advisory locks.
    const res = await client.query<{ id: string }>(
      `select id from unnest($1::text[]) as id where pg_try_advisory_lock(hashtext('hqadz:sender'), hashtext(id))`,
      [wanted],
    );
    const held = new Set(res.rows.map((r) => r.id));
    return {
      held,
      async release() {
        try {
          await client.query(`select pg_advisory_unlock(hashtext('hqadz:sender'), hashtext(id)) from unnest($1::text[]) as id`, [[...held]]);
          client.release();
        } catch (err) {
          // Destroying the connection drops its locks for sure.
          client.release(err as Error);
        }
      },
    };
  } catch (err) {
    client.release(err as Error);
    throw err;
  }
}

import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { senders, targetChats } from '../../db/schema.js';
import type { JobSender } from '../../platform/jobs/job-sender.js';
import { wakeBackorders } from './release-reservation.js';

export type ReleaseAdbotSendersOptions = {
  tx: DbOrTx;
  adbotId: string;
  /** How many to give back (a downgrade); all of them when omitted (expiry). */
  count?: number;
  /** When given, paid back-ordered orders get a retry as soon as this commits. */
  jobs?: JobSender | undefined;
};

/**
 * Returns an adbot's senders to stock. Banned senders are detached but stay banned,
 * and chats they served lose their sender so the engine assigns another one.
 */
export async function releaseAdbotSenders({ tx, adbotId, count, jobs }: ReleaseAdbotSendersOptions): Promise<number> {
  const held = await tx
    .select({ id: senders.id, state: senders.state })
    .from(senders)
    .where(eq(senders.adbotId, adbotId))
    // Frozen ones go first on a downgrade: they are the least useful right now.
    .orderBy(sql`case ${senders.state} when 'frozen' then 0 else 1 end`, asc(senders.createdAt), asc(senders.id))
    .for('update');
  const banned = held.filter((s) => s.state === 'banned').map((s) => s.id);
  const usable = held.filter((s) => s.state !== 'banned').map((s) => s.id);
  const toRelease = count === undefined ? usable : usable.slice(0, Math.max(0, count));
  const detach = count === undefined ? [...toRelease, ...banned] : toRelease;
  if (detach.length === 0) return 0;
  await tx
    .update(targetChats)
    .set({ senderId: null })
    .where(and(eq(targetChats.adbotId, adbotId), inArray(targetChats.senderId, detach)));
  if (toRelease.length > 0) {
    await tx
      .update(senders)
      // frozen_until is kept: Telegram's flood wait is the bot's, whoever gets it next, and
      // reservation and top-ups skip a sender until its wait is over.
      .set({ state: 'unused', adbotId: null, orderId: null, updatedAt: sql`now()` })
      .where(inArray(senders.id, toRelease));
    if (jobs) await wakeBackorders({ tx, jobs });
  }
  if (count === undefined && banned.length > 0) {
    await tx.update(senders).set({ adbotId: null, updatedAt: sql`now()` }).where(inArray(senders.id, banned));
  }
  return toRelease.length;
}

import { and, eq, lte, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { senders } from '../../db/schema.js';

export type FreezeSenderOptions = { db: DbOrTx; senderId: string; until: Date; reason: string };

/** Telegram's flood control (429): the sender sits out until `until`, then posts again. */
export async function freezeSender({ db, senderId, until, reason }: FreezeSenderOptions): Promise<void> {
  await db
    .update(senders)
    .set({ state: 'frozen', frozenUntil: until, lastError: reason.slice(0, 500), updatedAt: sql`now()` })
    // Only a working sender freezes: a banned one stays banned, a later 429 may extend the wait.
    .where(and(eq(senders.id, senderId), sql`${senders.state} in ('assigned', 'frozen')`));
}

export type ThawSendersOptions = { db: DbOrTx; now: Date };

/** Frozen senders whose wait is over go back to work; returns how many. */
export async function thawSenders({ db, now }: ThawSendersOptions): Promise<number> {
  const rows = await db
    .update(senders)
    .set({ state: sql`case when ${senders.adbotId} is null then 'unused' else 'assigned' end`, frozenUntil: null, updatedAt: sql`now()` })
    .where(and(eq(senders.state, 'frozen'), lte(senders.frozenUntil, now)))
    .returning({ id: senders.id });
  return rows.length;
}

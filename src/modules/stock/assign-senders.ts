import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { senders } from '../../db/schema.js';

export type TopUpReservationOptions = { tx: DbOrTx; orderId: string; count: number; leave?: number };

/**
 * Makes the order hold exactly `count` reserved senders: a reservation may have lapsed
 * (late payment) or be too large (the adbot already holds some). Unlike checkout's
 * reservation it never fails on short stock; it returns how many the order now holds,
 * keeping what it got so a back-ordered order is first in line.
 */
export async function topUpReservation({ tx, orderId, count, leave = 0 }: TopUpReservationOptions): Promise<number> {
  const held = await tx
    .select({ id: senders.id })
    .from(senders)
    .where(and(eq(senders.orderId, orderId), eq(senders.state, 'reserved')))
    .orderBy(asc(senders.createdAt), asc(senders.id))
    .for('update');
  if (held.length > count) {
    const surplus = held.slice(count).map((s) => s.id);
    await tx.update(senders).set({ state: 'unused', orderId: null, updatedAt: sql`now()` }).where(inArray(senders.id, surplus));
    return count;
  }
  const missing = count - held.length;
  if (missing === 0) return count;
  const free = await tx
    .select({ id: senders.id })
    .from(senders)
    .where(and(eq(senders.state, 'unused'), sql`(${senders.frozenUntil} is null or ${senders.frozenUntil} <= now())`))
    .orderBy(asc(senders.createdAt), asc(senders.id))
    .limit(missing + leave)
    .for('update', { skipLocked: true })
    .then((rows) => rows.slice(leave));
  if (free.length > 0) {
    await tx
      .update(senders)
      .set({ state: 'reserved', orderId, updatedAt: sql`now()` })
      .where(
        inArray(
          senders.id,
          free.map((s) => s.id),
        ),
      );
  }
  return held.length + free.length;
}

export type AssignSendersOptions = { tx: DbOrTx; orderId: string; adbotId: string };

/** Hands the order's reserved senders to the adbot; returns how many were assigned. */
export async function assignSenders({ tx, orderId, adbotId }: AssignSendersOptions): Promise<number> {
  const rows = await tx
    .update(senders)
    .set({ state: 'assigned', adbotId, updatedAt: sql`now()` })
    .where(and(eq(senders.orderId, orderId), eq(senders.state, 'reserved')))
    .returning({ id: senders.id });
  return rows.length;
}

import { asc, eq, inArray } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { senders } from '../../db/schema.js';
import { AppError } from '../../lib/errors.js';

export type ReserveSendersOptions = { tx: DbOrTx; orderId: string; count: number };

/**
 * Holds `count` unused senders for an order. SKIP LOCKED lets concurrent checkouts take
 * different rows instead of queueing on the same ones; a shortfall throws so the caller's
 * transaction rolls back and no half-reserved order survives.
 */
export async function reserveSenders({ tx, orderId, count }: ReserveSendersOptions): Promise<void> {
  if (count <= 0) return;
  const rows = await tx
    .select({ id: senders.id })
    .from(senders)
    .where(eq(senders.state, 'unused'))
    .orderBy(asc(senders.createdAt))
    .limit(count)
    .for('update', { skipLocked: true });
  if (rows.length < count) {
    throw new AppError('out_of_stock', 'This plan is sold out right now. Please check back soon.');
  }
  await tx
    .update(senders)
    .set({ state: 'reserved', orderId, updatedAt: new Date() })
    .where(inArray(senders.id, rows.map((r) => r.id)));
}

import { and, eq } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { senders } from '../../db/schema.js';

export type ReleaseReservationOptions = { tx: DbOrTx; orderId: string };

/** Returns an order's still-reserved senders to stock; assigned ones are left alone. */
export async function releaseReservation({ tx, orderId }: ReleaseReservationOptions): Promise<number> {
  const released = await tx
    .update(senders)
    .set({ state: 'unused', orderId: null, updatedAt: new Date() })
    .where(and(eq(senders.orderId, orderId), eq(senders.state, 'reserved')))
    .returning({ id: senders.id });
  return released.length;
}

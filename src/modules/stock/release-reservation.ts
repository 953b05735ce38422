import { and, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { orders, senders } from '../../db/schema.js';
import type { JobSender } from '../../platform/jobs/job-sender.js';

export type ReleaseReservationOptions = {
  tx: DbOrTx;
  orderId: string;
  /** When given, paid back-ordered orders get a retry as soon as this commits. */
  jobs?: JobSender | undefined;
};

/** Returns an order's still-reserved senders to stock; assigned ones are left alone. */
export async function releaseReservation({ tx, orderId, jobs }: ReleaseReservationOptions): Promise<number> {
  const released = await tx
    .update(senders)
    .set({ state: 'unused', orderId: null, updatedAt: new Date() })
    .where(and(eq(senders.orderId, orderId), eq(senders.state, 'reserved')))
    .returning({ id: senders.id });
  if (released.length > 0 && jobs) await wakeBackorders({ tx, jobs });
  return released.length;
}

export type WakeBackordersOptions = { tx: DbOrTx; jobs: JobSender };

/**
 * Stock went back to `unused`: a paid order waiting for senders must not wait for an admin
 * to add some. Enqueued in the caller's transaction, and only when someone is waiting.
 */
export async function wakeBackorders({ tx, jobs }: WakeBackordersOptions): Promise<void> {
  const [waiting] = await tx
    .select({ x: sql`1` })
    .from(orders)
    .where(and(eq(orders.status, 'paid'), eq(orders.backordered, true)))
    .limit(1);
  if (waiting) await jobs.send('fulfil-backorders', {}, { tx });
}

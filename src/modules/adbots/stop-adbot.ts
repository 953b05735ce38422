import { and, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { adbots, users } from '../../db/schema.js';
import { AppError } from '../../lib/errors.js';

export type StopAdbotOptions = { db: DbOrTx; userId: string; now?: Date };

/**
 * Stops posting. As SPEC §6 has it, a plan that is not active answers 409: an expired,
 * suspended or banned bot already posts nothing, and says why instead of pretending to stop.
 */
export async function stopAdbot({ db, userId, now = new Date() }: StopAdbotOptions): Promise<void> {
  const [row] = await db
    .select({ id: adbots.id, status: adbots.status, expiresAt: adbots.expiresAt, banned: users.banned })
    .from(adbots)
    .innerJoin(users, eq(users.id, adbots.userId))
    .where(eq(adbots.userId, userId));
  if (!row) throw new AppError('not_found', 'You have no adbot yet: buy a plan first');
  if (row.banned) throw new AppError('plan_inactive', 'This account is banned: contact support');
  if (row.status === 'suspended') throw new AppError('plan_inactive', 'Your adbot is suspended, so it is not posting: contact support');
  if (row.status === 'expired') throw new AppError('plan_inactive', 'Your plan has expired, so your adbot is not posting');
  // Past its expiry but not yet marked by the expiry job: honour the stop (a renewal must not
  // restart a bot its owner stopped), then say the plan is over.
  const stopped = await db
    .update(adbots)
    .set({ status: 'stopped', updatedAt: sql`now()` })
    .where(and(eq(adbots.id, row.id), eq(adbots.status, 'running')))
    .returning({ id: adbots.id });
  if (row.expiresAt <= now) throw new AppError('plan_inactive', `Your plan has expired, so your adbot is not posting${stopped.length ? ' (stopped)' : ''}`);
}

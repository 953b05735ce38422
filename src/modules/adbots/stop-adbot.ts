import { and, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { adbots } from '../../db/schema.js';
import { AppError } from '../../lib/errors.js';

export type StopAdbotOptions = { db: DbOrTx; userId: string };

/** Stops posting. Always allowed; an expired or suspended bot already does not post and keeps its status. */
export async function stopAdbot({ db, userId }: StopAdbotOptions): Promise<void> {
  const [bot] = await db.select({ id: adbots.id }).from(adbots).where(eq(adbots.userId, userId));
  if (!bot) throw new AppError('not_found', 'You have no adbot yet: buy a plan first');
  await db
    .update(adbots)
    .set({ status: 'stopped', updatedAt: sql`now()` })
    .where(and(eq(adbots.id, bot.id), eq(adbots.status, 'running')));
}

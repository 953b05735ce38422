import { and, eq, isNull, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { notifications } from '../../db/schema.js';

export type MarkNotificationsReadOptions = { db: DbOrTx; userId: string };

/** Marks every unread notification of the user read; returns how many changed. */
export async function markNotificationsRead({ db, userId }: MarkNotificationsReadOptions): Promise<number> {
  const rows = await db
    .update(notifications)
    .set({ readAt: sql`now()` })
    .where(and(eq(notifications.userId, userId), isNull(notifications.readAt)))
    .returning({ id: notifications.id });
  return rows.length;
}

import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { notifications } from '../../db/schema.js';

export type NotificationView = {
  id: string;
  kind: string;
  title: string;
  body: string;
  readAt: Date | null;
  createdAt: Date;
};

export type ListNotificationsOptions = { db: DbOrTx; userId: string; limit?: number };

/** The user's notifications, newest first, and how many are unread. */
export async function listNotifications({ db, userId, limit = 100 }: ListNotificationsOptions): Promise<{ notifications: NotificationView[]; unread: number }> {
  const rows = await db
    .select({
      id: notifications.id,
      kind: notifications.kind,
      title: notifications.title,
      body: notifications.body,
      readAt: notifications.readAt,
      createdAt: notifications.createdAt,
    })
    .from(notifications)
    .where(eq(notifications.userId, userId))
    .orderBy(desc(notifications.createdAt), desc(notifications.id))
    .limit(limit);
  return { notifications: rows, unread: await countUnreadNotifications({ db, userId }) };
}

export type CountUnreadNotificationsOptions = { db: DbOrTx; userId: string };

export async function countUnreadNotifications({ db, userId }: CountUnreadNotificationsOptions): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(notifications)
    .where(and(eq(notifications.userId, userId), isNull(notifications.readAt)));
  return row?.n ?? 0;
}

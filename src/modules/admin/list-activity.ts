import { desc, eq, like, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { activityLog, users } from '../../db/schema.js';

export type ActivityEntry = {
  id: string;
  actorUserId: string | null;
  actorEmail: string | null;
  actorRole: string;
  action: string;
  subjectType: string | null;
  subjectId: string | null;
  details: Record<string, unknown> | null;
  createdAt: Date;
};

export type ListActivityOptions = { db: DbOrTx; action?: string; limit: number; offset: number };

/** The activity log, newest first; `action` filters by prefix ("plan." → every plan change). */
export async function listActivity({ db, action, limit, offset }: ListActivityOptions): Promise<{ entries: ActivityEntry[]; total: number }> {
  const where = action ? like(activityLog.action, `${action.replace(/[\\%_]/g, (c) => `\\${c}`)}%`) : undefined;
  const [rows, [count]] = await Promise.all([
    db
      .select({
        id: activityLog.id,
        actorUserId: activityLog.actorUserId,
        actorEmail: users.email,
        actorRole: activityLog.actorRole,
        action: activityLog.action,
        subjectType: activityLog.subjectType,
        subjectId: activityLog.subjectId,
        details: activityLog.details,
        createdAt: activityLog.createdAt,
      })
      .from(activityLog)
      .leftJoin(users, eq(users.id, activityLog.actorUserId))
      .where(where)
      .orderBy(desc(activityLog.createdAt), desc(activityLog.id))
      .limit(limit)
      .offset(offset),
    db.select({ n: sql<number>`count(*)::int` }).from(activityLog).where(where),
  ]);
  return { entries: rows, total: Number(count?.n ?? 0) };
}

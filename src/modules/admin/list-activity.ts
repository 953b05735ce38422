import { and, desc, eq, like, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { DbOrTx } from '../../db/client.js';
import { activityLog, adbots, orders, plans, resellers, senders, users } from '../../db/schema.js';

export type ActivityEntry = {
  id: string;
  actorUserId: string | null;
  actorEmail: string | null;
  actorRole: string;
  action: string;
  subjectType: string | null;
  subjectId: string | null;
  /** The subject as a person reads it: "#1042", an email, "@bot_name", a plan or referral code. */
  subjectLabel: string | null;
  /** The customer the subject belongs to, so the screen can link to them. */
  subjectEmail: string | null;
  details: Record<string, unknown> | null;
  createdAt: Date;
};

export type ListActivityOptions = { db: DbOrTx; action?: string; limit: number; offset: number };

/** The activity log, newest first; `action` filters by prefix ("plan." → every plan change). */
export async function listActivity({ db, action, limit, offset }: ListActivityOptions): Promise<{ entries: ActivityEntry[]; total: number }> {
  const where = action ? like(activityLog.action, `${action.replace(/[\\%_]/g, (c) => `\\${c}`)}%`) : undefined;
  // The subject's table depends on its type; each join only matches rows of its own type,
  // so one query still serves the whole page.
  const subjectUser = alias(users, 'subject_user');
  const subjectOf = (type: string) => sql`${activityLog.subjectType} = ${type}`;
  // CASE, not AND: a subject id that is not a uuid must never reach the cast.
  const subjectUuid = sql`(case when ${activityLog.subjectId} ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' then ${activityLog.subjectId}::uuid end)`;
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
        subjectLabel: sql<string | null>`case
          when ${orders.id} is not null then '#' || ${orders.orderNumber}
          when ${senders.id} is not null then '@' || ${senders.username}
          when ${plans.id} is not null then ${plans.name}
          when ${resellers.id} is not null then ${resellers.referralCode}
          else null end`,
        subjectEmail: subjectUser.email,
        details: activityLog.details,
        createdAt: activityLog.createdAt,
      })
      .from(activityLog)
      .leftJoin(users, eq(users.id, activityLog.actorUserId))
      .leftJoin(orders, and(subjectOf('order'), eq(orders.id, subjectUuid)))
      .leftJoin(senders, and(subjectOf('sender'), eq(senders.id, subjectUuid)))
      .leftJoin(plans, and(subjectOf('plan'), eq(plans.id, subjectUuid)))
      .leftJoin(resellers, and(subjectOf('reseller'), eq(resellers.id, subjectUuid)))
      .leftJoin(adbots, and(subjectOf('adbot'), eq(adbots.id, subjectUuid)))
      .leftJoin(
        subjectUser,
        sql`${subjectUser.id} = coalesce(${orders.userId}, ${adbots.userId}, ${resellers.userId}, case when ${subjectOf('user')} then ${subjectUuid} end)`,
      )
      .where(where)
      .orderBy(desc(activityLog.createdAt), desc(activityLog.id))
      .limit(limit)
      .offset(offset),
    db.select({ n: sql<number>`count(*)::int` }).from(activityLog).where(where),
  ]);
  return { entries: rows, total: Number(count?.n ?? 0) };
}

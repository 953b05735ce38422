import { type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.js';
import { preparedFor } from '../db/prepared.js';
import { activityLog } from '../db/schema.js';

export type LogActivityOptions = {
  db: DbOrTx;
  actorUserId?: string | null;
  actorRole: 'system' | 'customer' | 'reseller' | 'admin' | 'provider';
  action: string;
  subjectType?: string;
  subjectId?: string;
  details?: Record<string, unknown>;
};

/** The activity log admins read: who did what to which record. */
export async function logActivity(opts: LogActivityOptions): Promise<void> {
  // Every payment and checkout writes one, inside its transaction: prepared once (src/db/prepared.ts).
  await preparedFor(opts.db, 'activity_log_insert', insertActivity).execute({
    actorUserId: opts.actorUserId ?? null,
    actorRole: opts.actorRole,
    action: opts.action,
    subjectType: opts.subjectType ?? null,
    subjectId: opts.subjectId ?? null,
    // Text cast in the statement: a placeholder through the jsonb column would store JSON null for none.
    details: opts.details ? JSON.stringify(opts.details) : null,
  });
}

export type ActivityRowsFor = Omit<LogActivityOptions, 'db' | 'subjectId' | 'details' | 'actorUserId' | 'actorRole' | 'action'> & {
  actorUserId: unknown;
  /** A value, or SQL over `from`'s columns when its rows differ. */
  actorRole: LogActivityOptions['actorRole'] | SQL;
  action: string | SQL;
  /** SQL over `from`'s columns (e.g. its new id as text). */
  subjectId: SQL;
  /** A jsonb SQL expression over `from`'s columns. */
  details: SQL;
};

/**
 * logActivity as a part of the caller's statement: one row for each row of `from` (a CTE of
 * what the caller just wrote), so the record commits with it and costs no round trip of its own.
 */
export function activityRowsFor(from: SQL, row: ActivityRowsFor): SQL {
  return sql`insert into ${activityLog} (actor_user_id, actor_role, action, subject_type, subject_id, details)
    select ${row.actorUserId}::uuid, ${row.actorRole}::text, ${row.action}::text, ${row.subjectType ?? null}::text, ${row.subjectId}, ${row.details} from ${from}`;
}

function insertActivity(db: DbOrTx) {
  return db
    .insert(activityLog)
    .values({
      actorUserId: sql.placeholder('actorUserId'),
      actorRole: sql.placeholder('actorRole'),
      action: sql.placeholder('action'),
      subjectType: sql.placeholder('subjectType'),
      subjectId: sql.placeholder('subjectId'),
      details: sql`${sql.placeholder('details')}::jsonb`,
    })
    .prepare('activity_log_insert');
}

import type { DbOrTx } from '../db/client.js';
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
  await opts.db.insert(activityLog).values({
    actorUserId: opts.actorUserId ?? null,
    actorRole: opts.actorRole,
    action: opts.action,
    subjectType: opts.subjectType ?? null,
    subjectId: opts.subjectId ?? null,
    details: opts.details ?? null,
  });
}

import { and, asc, eq, isNull } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { users } from '../../db/schema.js';
import { AppError } from '../../lib/errors.js';
import { logActivity } from '../../platform/log-activity.js';
import { normaliseEmail } from './find-or-create-customer.js';
import { issueAccessCode } from './issue-access-code.js';

export type RotateAdminCodeOptions = {
  db: Db;
  /** The admin's email; omitted: the first admin, created on first start without one. */
  email?: string | undefined;
};

export type RotateAdminCodeResult = { userId: string; email: string | null; accessCode: string };

/**
 * The operator's way back in when an admin code is lost or leaked (CLI): a new code,
 * returned once. Only its hash is stored, so the old code stops working in the same commit.
 */
export async function rotateAdminCode({ db, email }: RotateAdminCodeOptions): Promise<RotateAdminCodeResult> {
  const normalised = email === undefined ? null : normaliseEmail(email);
  return db.transaction(async (tx) => {
    const [user] = await tx
      .select({ id: users.id, role: users.role, email: users.email })
      .from(users)
      .where(normalised === null ? and(eq(users.role, 'admin'), isNull(users.email)) : eq(users.email, normalised))
      .orderBy(asc(users.createdAt))
      .limit(1)
      .for('update');
    if (!user) {
      throw new AppError('not_found', normalised === null ? 'There is no first admin (one without an email)' : `No user has the email ${normalised}`);
    }
    if (user.role !== 'admin') {
      throw new AppError('conflict', `${normalised} is a ${user.role}, not an admin; rotate their code in the admin panel`);
    }
    const accessCode = await issueAccessCode({ tx, userId: user.id });
    await logActivity({
      db: tx,
      actorRole: 'system',
      action: 'admin.access_code_rotated',
      subjectType: 'user',
      subjectId: user.id,
      details: { source: 'cli', email: user.email },
    });
    return { userId: user.id, email: user.email, accessCode };
  });
}

import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { users } from '../../db/schema.js';
import { AppError } from '../../lib/errors.js';
import { logActivity } from '../../platform/log-activity.js';
import { normaliseEmail } from './find-or-create-customer.js';
import { issueAccessCode } from './issue-access-code.js';

export type CreateAdminOptions = { db: Db; email: string };

export type CreateAdminResult = { userId: string; email: string; accessCode: string };

/**
 * A further admin, named by email, made by the operator (CLI). The code is returned once;
 * an email that already belongs to someone is refused rather than turned into an admin.
 */
export async function createAdmin({ db, email }: CreateAdminOptions): Promise<CreateAdminResult> {
  const normalised = normaliseEmail(email);
  return db.transaction(async (tx) => {
    const [admin] = await tx
      .insert(users)
      .values({ email: normalised, role: 'admin' })
      .onConflictDoNothing({ target: users.email })
      .returning({ id: users.id });
    if (!admin) {
      const [existing] = await tx.select({ role: users.role }).from(users).where(eq(users.email, normalised));
      throw new AppError(
        'conflict',
        existing?.role === 'admin'
          ? `${normalised} is already an admin; "admin rotate-code ${normalised}" gives them a new code`
          : `${normalised} belongs to a ${existing?.role ?? 'user'}; an admin needs an email of its own`,
      );
    }
    const accessCode = await issueAccessCode({ tx, userId: admin.id });
    await logActivity({
      db: tx,
      actorRole: 'system',
      action: 'admin.created',
      subjectType: 'user',
      subjectId: admin.id,
      details: { source: 'cli', email: normalised },
    });
    return { userId: admin.id, email: normalised, accessCode };
  });
}

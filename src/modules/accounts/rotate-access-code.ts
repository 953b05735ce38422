import type { Db } from '../../db/client.js';
import { logActivity } from '../../platform/log-activity.js';
import { findCustomerForUpdate } from './find-customer.js';
import { issueAccessCode } from './issue-access-code.js';

export type RotateAccessCodeOptions = { db: Db; adminUserId: string; userId: string };

/**
 * Support's answer to "I lost my code" or "my code leaked": a new code, returned once;
 * only its hash is stored, so the old code stops working at the same moment.
 */
export async function rotateAccessCode({ db, adminUserId, userId }: RotateAccessCodeOptions): Promise<{ accessCode: string }> {
  return db.transaction(async (tx) => {
    const user = await findCustomerForUpdate({ tx, userId });
    const accessCode = await issueAccessCode({ tx, userId: user.id });
    await logActivity({
      db: tx,
      actorUserId: adminUserId,
      actorRole: 'admin',
      action: 'customer.access_code_rotated',
      subjectType: 'user',
      subjectId: user.id,
      details: { email: user.email },
    });
    return { accessCode };
  });
}

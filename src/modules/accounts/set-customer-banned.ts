import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { adbots, users } from '../../db/schema.js';
import { logActivity } from '../admin/log-activity.js';
import { findCustomerForUpdate } from './find-customer.js';

export type SetCustomerBannedOptions = { db: Db; adminUserId: string; userId: string; banned: boolean };

export type SetCustomerBannedResult = { id: string; email: string | null; banned: boolean; botStopped: boolean };

/**
 * Bans or unbans a customer. A ban also stops a running bot, so posting halts at once;
 * an unban leaves it stopped — the customer chooses when to start again.
 */
export async function setCustomerBanned({ db, adminUserId, userId, banned }: SetCustomerBannedOptions): Promise<SetCustomerBannedResult> {
  return db.transaction(async (tx) => {
    const user = await findCustomerForUpdate({ tx, userId });
    await tx.update(users).set({ banned, updatedAt: sql`now()` }).where(eq(users.id, user.id));
    const stopped = banned
      ? await tx
          .update(adbots)
          .set({ status: 'stopped', updatedAt: sql`now()` })
          .where(and(eq(adbots.userId, user.id), eq(adbots.status, 'running')))
          .returning({ id: adbots.id })
      : [];
    if (user.banned !== banned) {
      await logActivity({
        db: tx,
        actorUserId: adminUserId,
        actorRole: 'admin',
        action: banned ? 'customer.banned' : 'customer.unbanned',
        subjectType: 'user',
        subjectId: user.id,
        details: { email: user.email, botStopped: stopped.length > 0 },
      });
    }
    return { id: user.id, email: user.email, banned, botStopped: stopped.length > 0 };
  });
}

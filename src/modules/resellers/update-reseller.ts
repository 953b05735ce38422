import { eq } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { resellers } from '../../db/schema.js';
import { AppError } from '../../lib/errors.js';
import { logActivity } from '../../platform/log-activity.js';
import { getResellerView, type ResellerView } from './list-resellers.js';

export type UpdateResellerOptions = {
  db: DbOrTx;
  adminUserId: string;
  resellerId: string;
  commissionBps?: number | undefined;
  active?: boolean | undefined;
};

/**
 * Changes a reseller's rate or switches them off. Only what is fulfilled from now on sees the
 * new rate: booked commissions are a ledger and never change. An inactive reseller keeps
 * their login and balance (they may still be owed money) but attracts no new orders.
 */
export async function updateReseller({ db, adminUserId, resellerId, commissionBps, active }: UpdateResellerOptions): Promise<ResellerView> {
  await db.transaction(async (tx) => {
    const [before] = await tx.select().from(resellers).where(eq(resellers.id, resellerId)).for('update');
    if (!before) throw new AppError('not_found', 'No such reseller');
    const changes = {
      ...(commissionBps !== undefined ? { commissionBps } : {}),
      ...(active !== undefined ? { active } : {}),
    };
    await tx.update(resellers).set(changes).where(eq(resellers.id, resellerId));
    await logActivity({
      db: tx,
      actorUserId: adminUserId,
      actorRole: 'admin',
      action: 'reseller.updated',
      subjectType: 'reseller',
      subjectId: resellerId,
      details: {
        from: { commissionBps: before.commissionBps, active: before.active },
        to: { commissionBps: commissionBps ?? before.commissionBps, active: active ?? before.active },
      },
    });
  });
  return (await getResellerView({ db, resellerId }))!;
}

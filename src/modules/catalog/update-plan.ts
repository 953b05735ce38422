import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { plans } from '../../db/schema.js';
import { AppError } from '../../lib/errors.js';
import { logActivity } from '../../platform/log-activity.js';
import { type AdminPlan, isUniqueViolation, toAdminPlan } from './admin-plan-view.js';
import { noteCatalogChanged } from './catalog-generation.js';
import type { PlanFields } from './create-plan.js';

export type UpdatePlanOptions = {
  db: Db;
  adminUserId: string;
  planId: string;
  changes: Partial<PlanFields> & { active?: boolean };
};

/**
 * Edits a plan for future sales only: orders carry their own snapshot of price, senders
 * and interval, so nothing already sold (or awaiting payment) changes.
 */
export async function updatePlan({ db, adminUserId, planId, changes }: UpdatePlanOptions): Promise<AdminPlan> {
  try {
    const saved = await db.transaction(async (tx) => {
      const [before] = await tx.select().from(plans).where(eq(plans.id, planId)).for('update');
      if (!before) throw new AppError('not_found', 'No such plan');
      const [row] = await tx
        .update(plans)
        .set({ ...changes, updatedAt: sql`now()` })
        .where(eq(plans.id, planId))
        .returning();
      const from: Record<string, unknown> = {};
      for (const key of Object.keys(changes) as (keyof typeof changes)[]) from[key] = before[key];
      await logActivity({
        db: tx,
        actorUserId: adminUserId,
        actorRole: 'admin',
        action: changes.active === false ? 'plan.deactivated' : 'plan.updated',
        subjectType: 'plan',
        subjectId: planId,
        details: { slug: row!.slug, from, to: changes },
      });
      return toAdminPlan(row!);
    });
    // After the commit: a read started before it must not be taken as current.
    noteCatalogChanged();
    return saved;
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError('conflict', `A plan with the slug "${changes.slug}" already exists`);
    throw err;
  }
}

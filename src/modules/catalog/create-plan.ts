import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { plans } from '../../db/schema.js';
import { AppError } from '../../lib/errors.js';
import { logActivity } from '../../platform/log-activity.js';
import { type AdminPlan, isUniqueViolation, toAdminPlan } from './admin-plan-view.js';
import { noteCatalogChanged } from './catalog-generation.js';

export type PlanFields = {
  slug: string;
  name: string;
  planType: 'starter' | 'enterprise';
  priceCents: number;
  senders: number;
  postingIntervalSeconds: number;
  validityDays: number;
};

export type CreatePlanOptions = { db: Db; adminUserId: string; plan: PlanFields & { active?: boolean } };

/** A new plan goes to the end of the catalog; it is on sale at once unless created inactive. */
export async function createPlan({ db, adminUserId, plan }: CreatePlanOptions): Promise<AdminPlan> {
  try {
    const saved = await db.transaction(async (tx) => {
      const [row] = await tx
        .insert(plans)
        .values({ ...plan, active: plan.active ?? true, sortOrder: sql`(select coalesce(max(sort_order), -1) + 1 from plans)` })
        .returning();
      await logActivity({
        db: tx,
        actorUserId: adminUserId,
        actorRole: 'admin',
        action: 'plan.created',
        subjectType: 'plan',
        subjectId: row!.id,
        details: { ...plan },
      });
      return toAdminPlan(row!);
    });
    // After the commit: a read started before it must not be taken as current.
    noteCatalogChanged();
    return saved;
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError('conflict', `A plan with the slug "${plan.slug}" already exists`);
    throw err;
  }
}

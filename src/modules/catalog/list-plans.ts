import { asc } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { plans } from '../../db/schema.js';
import { type AdminPlan, toAdminPlan } from './admin-plan-view.js';

export type ListPlansOptions = { db: DbOrTx };

/** Every plan, inactive ones included: what the admin's Plans screen edits. */
export async function listPlans({ db }: ListPlansOptions): Promise<AdminPlan[]> {
  const rows = await db.select().from(plans).orderBy(asc(plans.sortOrder), asc(plans.priceCents), asc(plans.slug));
  return rows.map(toAdminPlan);
}

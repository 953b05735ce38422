import type { Db } from '../../db/client.js';
import { plans, settings } from '../../db/schema.js';
import { defaultPlans } from './plan-catalog.js';

export type SeedCatalogOptions = { db: Db };

/** Seeds the default plans exactly once per database; an admin's later edits are never overwritten. */
export async function seedCatalog({ db }: SeedCatalogOptions): Promise<void> {
  await db.transaction(async (tx) => {
    const marker = await tx
      .insert(settings)
      .values({ key: 'catalog.seeded', value: { at: new Date().toISOString() } })
      .onConflictDoNothing()
      .returning({ key: settings.key });
    if (marker.length === 0) return;
    await tx
      .insert(plans)
      .values(defaultPlans.map((p, i) => ({ ...p, sortOrder: i })))
      .onConflictDoNothing({ target: plans.slug });
  });
}

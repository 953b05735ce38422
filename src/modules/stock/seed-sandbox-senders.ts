import { sql } from 'drizzle-orm';
import { senders } from '../../db/schema.js';
import type { AppContext } from '../../platform/app-context.js';
import { addSenders } from './add-senders.js';

// Enough for the largest default plan (elite, 15) with room for a second purchase.
export const SANDBOX_SEED_COUNT = 24;

export type SeedSandboxSendersOptions = { ctx: AppContext };

/**
 * In test mode an empty stock gets sandbox senders, so a fresh install can sell every plan.
 * Safe to repeat and to race: the unique bot id turns a second run into duplicates.
 */
export async function seedSandboxSenders({ ctx }: SeedSandboxSendersOptions): Promise<number> {
  if (!ctx.config.testMode) return 0;
  const [row] = await ctx.db.select({ n: sql<number>`count(*)::int` }).from(senders);
  if (Number(row?.n ?? 0) > 0) return 0;
  const tokens = Array.from({ length: SANDBOX_SEED_COUNT }, (_, i) => `sandbox:hqadz_demo_${String(i + 1).padStart(2, '0')}`);
  const { added } = await addSenders({ ctx, tokens });
  return added.length;
}

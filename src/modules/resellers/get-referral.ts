import { and, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { resellers } from '../../db/schema.js';

export type Referral = { code: string };

export type GetReferralOptions = { db: DbOrTx; code: string };

/**
 * What checkout may say about a `?ref=` code: that it belongs to an active reseller, named
 * by the code as the reseller chose it. Nothing else (no email): the page is public. Matched
 * the way create-checkout attributes it, so "Referred by …" shows exactly when it will count.
 */
export async function getReferral({ db, code }: GetReferralOptions): Promise<Referral | null> {
  const [row] = await db
    .select({ code: resellers.referralCode })
    .from(resellers)
    .where(and(sql`lower(${resellers.referralCode}) = lower(${code.trim()})`, eq(resellers.active, true)))
    .limit(1);
  return row ?? null;
}

import { desc, eq } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { payouts, resellers } from '../../db/schema.js';
import { centsToUsd } from './money.js';

export type ResellerPayout = { amountUsd: number; note: string | null; createdAt: Date };

export type ListResellerPayoutsOptions = { db: DbOrTx; userId: string };

/** What the admins have paid the reseller whose user id this is, newest first. */
export async function listResellerPayouts({ db, userId }: ListResellerPayoutsOptions): Promise<ResellerPayout[]> {
  const rows = await db
    .select({ amountCents: payouts.amountCents, note: payouts.note, createdAt: payouts.createdAt })
    .from(payouts)
    .innerJoin(resellers, eq(resellers.id, payouts.resellerId))
    .where(eq(resellers.userId, userId))
    .orderBy(desc(payouts.createdAt), desc(payouts.id));
  return rows.map((r) => ({ amountUsd: centsToUsd(r.amountCents), note: r.note, createdAt: r.createdAt }));
}

import { eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { payouts, resellers } from '../../db/schema.js';
import { AppError } from '../../lib/errors.js';
import { logActivity } from '../../platform/log-activity.js';
import { earnedCentsSql } from './earned-cents.js';
import { centsToUsd } from './money.js';

export type RecordPayoutOptions = {
  db: DbOrTx;
  adminUserId: string;
  resellerId: string;
  amountCents: number;
  note?: string | null | undefined;
};

export type PayoutView = { id: string; amountUsd: number; note: string | null; createdAt: Date };
export type RecordPayoutResult = { payout: PayoutView; dueUsd: number };

/**
 * Records money an admin paid a reseller. The reseller row is locked first, so two admins
 * paying at once are serialised and the second sees the first's payout: never more out than earned.
 */
export async function recordPayout({ db, adminUserId, resellerId, amountCents, note }: RecordPayoutOptions): Promise<RecordPayoutResult> {
  return db.transaction(async (tx) => {
    const [reseller] = await tx.select({ id: resellers.id }).from(resellers).where(eq(resellers.id, resellerId)).for('update');
    if (!reseller) throw new AppError('not_found', 'No such reseller');
    const [earned] = await tx
      .select({ cents: earnedCentsSql(sql`${resellers.id}`) })
      .from(resellers)
      .where(eq(resellers.id, resellerId));
    const [paid] = await tx
      .select({ cents: sql<number>`coalesce(sum(${payouts.amountCents}), 0)`.mapWith(Number) })
      .from(payouts)
      .where(eq(payouts.resellerId, resellerId));
    const dueCents = earned!.cents - paid!.cents;
    if (dueCents < 0) {
      // Refunds reversed commissions that were already paid out: nothing more until that is earned back.
      throw new AppError('conflict', `Nothing is due: this reseller owes back $${centsToUsd(-dueCents).toFixed(2)} of refunded commission`);
    }
    if (amountCents > dueCents) {
      throw new AppError('conflict', `That is more than is due: $${centsToUsd(dueCents).toFixed(2)} is owed to this reseller`);
    }
    const [payout] = await tx
      .insert(payouts)
      .values({ resellerId, amountCents, note: note ?? null })
      .returning();
    await logActivity({
      db: tx,
      actorUserId: adminUserId,
      actorRole: 'admin',
      action: 'reseller.payout_recorded',
      subjectType: 'reseller',
      subjectId: resellerId,
      details: { payoutId: payout!.id, amountCents, note: note ?? null, dueCentsAfter: dueCents - amountCents },
    });
    return {
      payout: { id: payout!.id, amountUsd: centsToUsd(payout!.amountCents), note: payout!.note, createdAt: payout!.createdAt },
      dueUsd: centsToUsd(dueCents - amountCents),
    };
  });
}

import { eq } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { commissions, resellers } from '../../db/schema.js';

export type BookCommissionOptions = {
  tx: DbOrTx;
  orderId: string;
  resellerId: string;
  priceCents: number;
};

/**
 * Books the reseller's share of a fulfilled order, once per order (unique order_id).
 * Rounded down so fractions of a cent never turn into money paid out.
 */
export async function bookCommission({ tx, orderId, resellerId, priceCents }: BookCommissionOptions): Promise<number | null> {
  const [reseller] = await tx.select({ commissionBps: resellers.commissionBps }).from(resellers).where(eq(resellers.id, resellerId));
  if (!reseller) return null;
  const amountCents = Math.floor((priceCents * reseller.commissionBps) / 10_000);
  const [row] = await tx
    .insert(commissions)
    .values({ resellerId, orderId, amountCents })
    .onConflictDoNothing({ target: commissions.orderId })
    .returning({ amountCents: commissions.amountCents });
  return row?.amountCents ?? null;
}

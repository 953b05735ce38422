import { desc, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { orders, payouts, resellers, users } from '../../db/schema.js';
import { earnedCentsSql } from './earned-cents.js';
import { bpsToPercent, centsToUsd } from './money.js';

export type ResellerView = {
  id: string;
  userId: string;
  email: string | null;
  referralCode: string;
  commissionPercent: number;
  active: boolean;
  /** People attributed to this reseller: referred users and buyers of attributed orders. */
  customers: number;
  /** Attributed orders that were fulfilled (each booked a commission). */
  orders: number;
  earnedUsd: number;
  paidUsd: number;
  dueUsd: number;
  createdAt: Date;
};

export type GetResellerViewOptions = { db: DbOrTx; resellerId?: string; userId?: string };
export type ListResellersOptions = { db: DbOrTx; limit: number; offset: number };

// Balances are always summed from the ledger (commissions, payouts), never stored: nothing to drift.
const earnedCents = earnedCentsSql(sql`${resellers.id}`);
const paidCents = sql<number>`(select coalesce(sum(${payouts.amountCents}), 0) from ${payouts} where ${payouts.resellerId} = ${resellers.id})`.mapWith(Number);
const customerCount = sql<number>`(select count(*) from (
    select ${users.id} as uid from ${users} where ${users.referredBy} = ${resellers.id}
    union select ${orders.userId} from ${orders} where ${orders.resellerId} = ${resellers.id}
  ) as attributed)`.mapWith(Number);
const fulfilledOrders = sql<number>`(select count(*) from ${orders} where ${orders.resellerId} = ${resellers.id} and ${orders.status} = 'fulfilled')`.mapWith(
  Number,
);

type SelectOptions = GetResellerViewOptions & { limit: number; offset?: number };

async function selectResellers({ db, resellerId, userId, limit, offset = 0 }: SelectOptions): Promise<ResellerView[]> {
  const rows = await db
    .select({
      id: resellers.id,
      userId: resellers.userId,
      email: users.email,
      referralCode: resellers.referralCode,
      commissionBps: resellers.commissionBps,
      active: resellers.active,
      createdAt: resellers.createdAt,
      customers: customerCount,
      orders: fulfilledOrders,
      earnedCents,
      paidCents,
    })
    .from(resellers)
    .innerJoin(users, eq(users.id, resellers.userId))
    .where(resellerId ? eq(resellers.id, resellerId) : userId ? eq(resellers.userId, userId) : undefined)
    .orderBy(desc(resellers.createdAt), desc(resellers.id))
    .limit(limit)
    .offset(offset);
  return rows.map((r) => ({
    id: r.id,
    userId: r.userId,
    email: r.email,
    referralCode: r.referralCode,
    commissionPercent: bpsToPercent(r.commissionBps),
    active: r.active,
    customers: r.customers,
    orders: r.orders,
    earnedUsd: centsToUsd(r.earnedCents),
    paidUsd: centsToUsd(r.paidCents),
    dueUsd: centsToUsd(r.earnedCents - r.paidCents),
    createdAt: r.createdAt,
  }));
}

/** Resellers with their running totals, newest first: one page and the total. */
export async function listResellers({ db, limit, offset }: ListResellersOptions): Promise<{ resellers: ResellerView[]; total: number }> {
  const [list, [count]] = await Promise.all([selectResellers({ db, limit, offset }), db.select({ n: sql<number>`count(*)`.mapWith(Number) }).from(resellers)]);
  return { resellers: list, total: count?.n ?? 0 };
}

/** One reseller's view by id or by its user, or null. */
export async function getResellerView({ db, resellerId, userId }: GetResellerViewOptions): Promise<ResellerView | null> {
  if (!resellerId && !userId) return null;
  return (await selectResellers({ db, limit: 1, ...(resellerId ? { resellerId } : {}), ...(userId ? { userId } : {}) }))[0] ?? null;
}

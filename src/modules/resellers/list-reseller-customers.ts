import { and, desc, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { adbots, orders, plans, resellers, users } from '../../db/schema.js';
import { maskEmail } from './mask-email.js';
import { centsToUsd } from './money.js';

export type ResellerCustomer = {
  email: string | null;
  /** Fulfilled orders attributed to this reseller. */
  orders: number;
  spentUsd: number;
  firstOrderAt: Date | null;
  planStatus: 'active' | 'inactive' | 'expired';
  /** The plan the customer's bot runs ("Silver"), null before a first purchase. */
  planName: string | null;
};

export type ListResellerCustomersOptions = { db: DbOrTx; userId: string; limit: number; offset: number };

/**
 * The customers a reseller brought, keyed by the reseller's own user id so no request can
 * name someone else's. Emails are masked; spending counts only orders attributed to them.
 */
export async function listResellerCustomers({
  db,
  userId,
  limit,
  offset,
}: ListResellerCustomersOptions): Promise<{ customers: ResellerCustomer[]; total: number }> {
  const [reseller] = await db.select({ id: resellers.id }).from(resellers).where(eq(resellers.userId, userId));
  if (!reseller) return { customers: [], total: 0 };
  const rid = reseller.id;
  const attributed = and(eq(orders.userId, users.id), eq(orders.resellerId, rid));
  // Epoch milliseconds: the drivers disagree on how a raw timestamptz comes back.
  const firstOrderMs = sql<number | null>`(select extract(epoch from min(${orders.createdAt})) * 1000 from ${orders} where ${attributed})`;
  const isTheirs = sql`(${users.referredBy} = ${rid} or exists (select 1 from ${orders} where ${attributed}))`;
  const [count] = await db
    .select({ n: sql<number>`count(*)`.mapWith(Number) })
    .from(users)
    .where(isTheirs);
  const rows = await db
    .select({
      email: users.email,
      orders: sql<number>`(select count(*) from ${orders} where ${attributed} and ${orders.status} = 'fulfilled')`.mapWith(Number),
      spentCents: sql<number>`(select coalesce(sum(${orders.priceCents}), 0) from ${orders} where ${attributed} and ${orders.status} = 'fulfilled')`.mapWith(
        Number,
      ),
      firstOrderMs: firstOrderMs.mapWith((v) => (v === null ? null : Number(v))),
      planStatus: sql<'active' | 'inactive' | 'expired'>`case
        when ${adbots.id} is null then 'inactive'
        when ${adbots.status} = 'expired' or ${adbots.expiresAt} <= now() then 'expired'
        when ${adbots.status} = 'suspended' then 'inactive'
        else 'active' end`,
      planName: plans.name,
    })
    .from(users)
    .leftJoin(adbots, eq(adbots.userId, users.id))
    .leftJoin(plans, eq(plans.id, adbots.planId))
    .where(isTheirs)
    .orderBy(sql`${firstOrderMs} desc nulls last`, desc(users.createdAt), desc(users.id))
    .limit(limit)
    .offset(offset);
  const customers = rows.map((r) => ({
    email: maskEmail(r.email),
    orders: r.orders,
    spentUsd: centsToUsd(r.spentCents),
    firstOrderAt: r.firstOrderMs === null ? null : new Date(Math.round(r.firstOrderMs)),
    planStatus: r.planStatus,
    planName: r.planName ?? null,
  }));
  return { customers, total: count?.n ?? 0 };
}

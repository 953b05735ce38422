import { and, asc, desc, eq, ilike, type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { adbots, orders, plans, users } from '../../db/schema.js';
import type { Sort } from '../../lib/sort.js';

export type AdminCustomer = {
  id: string;
  email: string | null;
  banned: boolean;
  hasAccessCode: boolean;
  accessCodeIssuedAt: Date | null;
  createdAt: Date;
  orders: number;
  spentUsd: number;
  adbot: {
    id: string;
    status: 'running' | 'stopped' | 'expired' | 'suspended';
    plan: string;
    expiresAt: Date;
    senders: number;
    postingIntervalSeconds: number;
    sendersReleased: boolean;
  } | null;
};

/** What an admin can sort customers by. */
export const customerSortFields = ['email', 'orders', 'spent', 'expires', 'joined'] as const;
export type CustomerSortField = (typeof customerSortFields)[number];

export type ListCustomersOptions = { db: DbOrTx; q?: string; sort?: Sort<CustomerSortField> | undefined; limit: number; offset: number };

/** Customers with their bot and what they bought; `q` matches the email or the exact user id. */
export async function listCustomers({ db, q, sort, limit, offset }: ListCustomersOptions): Promise<{ customers: AdminCustomer[]; total: number }> {
  const conditions: SQL[] = [eq(users.role, 'customer')];
  const query = q?.trim();
  if (query) {
    const isUuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(query);
    conditions.push(isUuid ? eq(users.id, query) : ilike(users.email, `%${query.replace(/[\\%_]/g, (c) => `\\${c}`)}%`));
  }
  const where = and(...conditions);
  const orderCount = sql<number>`(select count(*)::int from ${orders} where ${orders.userId} = ${users.id})`;
  // bigint: an int sum overflows past $21.4M. Cents stay exact as a JS number up to 2^53.
  const spentCents = sql<number>`(select coalesce(sum(${orders.priceCents}), 0)::bigint from ${orders} where ${orders.userId} = ${users.id} and ${orders.status} = 'fulfilled')`;

  const sortColumns = { email: users.email, orders: orderCount, spent: spentCents, expires: adbots.expiresAt, joined: users.createdAt } as const;
  // Customers without a bot have no expiry: they go last either way.
  const sortDirection = (s: Sort<CustomerSortField>) =>
    s.field === 'expires' ? sql`${adbots.expiresAt} ${sql.raw(s.dir)} nulls last` : (s.dir === 'asc' ? asc : desc)(sortColumns[s.field]);

  const [rows, [count]] = await Promise.all([
    db
      .select({
        id: users.id,
        email: users.email,
        banned: users.banned,
        accessCodeHash: users.accessCodeHash,
        accessCodeIssuedAt: users.accessCodeIssuedAt,
        createdAt: users.createdAt,
        orders: orderCount,
        spentCents,
        bot: adbots,
        planName: plans.name,
      })
      .from(users)
      .leftJoin(adbots, eq(adbots.userId, users.id))
      .leftJoin(plans, eq(plans.id, adbots.planId))
      .where(where)
      .orderBy(...(sort ? [sortDirection(sort)] : []), desc(users.createdAt), desc(users.id))
      .limit(limit)
      .offset(offset),
    db.select({ n: sql<number>`count(*)::int` }).from(users).where(where),
  ]);
  return {
    customers: rows.map((r) => ({
      id: r.id,
      email: r.email,
      banned: r.banned,
      hasAccessCode: r.accessCodeHash !== null,
      accessCodeIssuedAt: r.accessCodeIssuedAt,
      createdAt: r.createdAt,
      orders: Number(r.orders),
      spentUsd: Number(r.spentCents) / 100,
      adbot: r.bot
        ? {
            id: r.bot.id,
            status: r.bot.status,
            plan: r.planName ?? '',
            expiresAt: r.bot.expiresAt,
            senders: r.bot.senderCount,
            postingIntervalSeconds: r.bot.postingIntervalSeconds,
            sendersReleased: r.bot.sendersReleasedAt !== null,
          }
        : null,
    })),
    total: Number(count?.n ?? 0),
  };
}

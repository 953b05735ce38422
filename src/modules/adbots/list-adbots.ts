import { asc, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { adbots, plans, targetChats, users } from '../../db/schema.js';

export const adbotStatuses = adbots.status.enumValues;
export type AdbotStatus = (typeof adbotStatuses)[number];

export type AdminAdbotRow = {
  id: string;
  userId: string;
  email: string | null;
  plan: string;
  status: AdbotStatus;
  expiresAt: Date;
  senders: number;
  postingIntervalSeconds: number;
  chats: number;
  sendersReleased: boolean;
  createdAt: Date;
};

export type ListAdbotsOptions = { db: DbOrTx; status?: AdbotStatus; limit: number; offset: number };

/** Every customer's bot, soonest expiry first: the ones about to lapse are the ones asked about. */
export async function listAdbots({ db, status, limit, offset }: ListAdbotsOptions): Promise<{ adbots: AdminAdbotRow[]; total: number }> {
  const where = status ? eq(adbots.status, status) : undefined;
  const chatCount = sql<number>`(select count(*)::int from ${targetChats} where ${targetChats.adbotId} = ${adbots.id})`;
  const [rows, [count]] = await Promise.all([
    db
      .select({
        id: adbots.id,
        userId: adbots.userId,
        email: users.email,
        plan: plans.name,
        status: adbots.status,
        expiresAt: adbots.expiresAt,
        senders: adbots.senderCount,
        postingIntervalSeconds: adbots.postingIntervalSeconds,
        chats: chatCount,
        sendersReleasedAt: adbots.sendersReleasedAt,
        createdAt: adbots.createdAt,
      })
      .from(adbots)
      .innerJoin(users, eq(users.id, adbots.userId))
      .innerJoin(plans, eq(plans.id, adbots.planId))
      .where(where)
      .orderBy(asc(adbots.expiresAt), asc(adbots.id))
      .limit(limit)
      .offset(offset),
    db.select({ n: sql<number>`count(*)::int` }).from(adbots).where(where),
  ]);
  return {
    adbots: rows.map(({ sendersReleasedAt, ...r }) => ({ ...r, chats: Number(r.chats), sendersReleased: sendersReleasedAt !== null })),
    total: Number(count?.n ?? 0),
  };
}

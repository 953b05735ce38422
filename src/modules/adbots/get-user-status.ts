import { eq } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { adbots, plans, users } from '../../db/schema.js';
import { AppError } from '../../lib/errors.js';
import { countUnreadNotifications } from '../notifications/list-notifications.js';

export type UserStatus = {
  email: string | null;
  planStatus: 'active' | 'inactive' | 'expired';
  plan: { id: string; slug: string; name: string; priceUsd: number; senders: number; postingIntervalSeconds: number; validityDays: number } | null;
  botStatus: 'running' | 'stopped' | 'expired' | 'suspended' | null;
  expiresAt: Date | null;
  sendersReleased: boolean;
  accountBanned: boolean;
  notificationCount: number;
};

export type GetUserStatusOptions = { db: DbOrTx; userId: string; now?: Date };

/** The dashboard header: which plan, until when, and whether it is live. */
export async function getUserStatus({ db, userId, now = new Date() }: GetUserStatusOptions): Promise<UserStatus> {
  const [user] = await db.select({ email: users.email, banned: users.banned }).from(users).where(eq(users.id, userId));
  if (!user) throw new AppError('unauthorized', 'Your session is no longer valid: log in again');
  const [row] = await db.select({ bot: adbots, plan: plans }).from(adbots).innerJoin(plans, eq(plans.id, adbots.planId)).where(eq(adbots.userId, userId));
  const bot = row?.bot;
  const expired = !!bot && (bot.status === 'expired' || bot.expiresAt <= now);
  // A suspended bot is a paid plan an admin switched off: not active, not expired either.
  const planStatus = !bot ? 'inactive' : expired ? 'expired' : bot.status === 'suspended' ? 'inactive' : 'active';
  return {
    email: user.email,
    planStatus,
    plan: row
      ? {
          id: row.plan.id,
          slug: row.plan.slug,
          name: row.plan.name,
          priceUsd: row.plan.priceCents / 100,
          senders: bot!.senderCount,
          postingIntervalSeconds: bot!.postingIntervalSeconds,
          validityDays: row.plan.validityDays,
        }
      : null,
    botStatus: bot?.status ?? null,
    expiresAt: bot?.expiresAt ?? null,
    sendersReleased: !!bot?.sendersReleasedAt,
    accountBanned: user.banned,
    notificationCount: await countUnreadNotifications({ db, userId }),
  };
}

import { and, eq, gte, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { adbots, targetChats, users } from '../../db/schema.js';
import { AppError } from '../../lib/errors.js';

export type StartAdbotOptions = { db: DbOrTx; userId: string; now?: Date };

/** Lets the engine post: only with a live plan, an ad and at least one chat. */
export async function startAdbot({ db, userId, now = new Date() }: StartAdbotOptions): Promise<void> {
  await db.transaction(async (tx) => {
    const [row] = await tx
      .select({ bot: adbots, banned: users.banned })
      .from(adbots)
      .innerJoin(users, eq(users.id, adbots.userId))
      .where(eq(adbots.userId, userId))
      .for('update', { of: adbots });
    if (!row) throw new AppError('not_found', 'You have no adbot yet: buy a plan first');
    const { bot } = row;
    if (row.banned) throw new AppError('plan_inactive', 'This account is banned: contact support');
    if (bot.status === 'suspended') throw new AppError('plan_inactive', 'Your adbot is suspended: contact support');
    if (bot.status === 'expired' || bot.expiresAt <= now) {
      throw new AppError('plan_inactive', 'Your plan has expired: renew it to start posting again');
    }
    if (!bot.post) throw new AppError('not_ready', 'Write your ad before starting');
    const [chats] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(targetChats)
      .where(and(eq(targetChats.adbotId, bot.id), gte(targetChats.position, 0)));
    if (!chats?.n) throw new AppError('not_ready', 'Add at least one target chat before starting');
    // Starting again after an ad-level pause clears the banner: if the ad still fails, it is paused again.
    if (bot.status !== 'running' || bot.adError !== null) {
      await tx.update(adbots).set({ status: 'running', adError: null, adErrorAt: null, updatedAt: sql`now()` }).where(eq(adbots.id, bot.id));
    }
  });
}

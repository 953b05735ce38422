import { and, asc, eq, gt, inArray, isNull, sql } from 'drizzle-orm';
import { adbots, senders } from '../../db/schema.js';
import type { AppContext } from '../../platform/app-context.js';
import { logActivity } from '../../platform/log-activity.js';
import { notifyUser } from '../../platform/notifications/notify-user.js';

export type TopUpShortAdbotsOptions = { ctx: Pick<AppContext, 'db'>; now?: Date };

/**
 * An adbot that lost a sender (banned by Telegram) while stock was empty runs short; when
 * stock arrives it gets replacements here, before anyone else can take them. Paid back-orders
 * are served first by the caller. Each adbot is topped up in its own transaction.
 */
export async function topUpShortAdbots({ ctx, now = new Date() }: TopUpShortAdbotsOptions): Promise<{ added: number }> {
  const usable = sql<number>`(select count(*)::int from ${senders} s where s.adbot_id = ${adbots.id} and s.state in ('assigned', 'frozen'))`;
  const short = await ctx.db
    .select({ id: adbots.id })
    .from(adbots)
    .where(
      and(
        inArray(adbots.status, ['running', 'stopped', 'suspended']),
        gt(adbots.expiresAt, now),
        isNull(adbots.sendersReleasedAt),
        sql`${usable} < ${adbots.senderCount}`,
      ),
    )
    .orderBy(asc(adbots.expiresAt));
  let added = 0;
  for (const { id } of short) {
    const got = await ctx.db.transaction(async (tx) => {
      const [bot] = await tx.select().from(adbots).where(eq(adbots.id, id)).for('update');
      if (!bot) return 0;
      const [{ n } = { n: 0 }] = await tx
        .select({ n: sql<number>`count(*)::int` })
        .from(senders)
        .where(and(eq(senders.adbotId, id), inArray(senders.state, ['assigned', 'frozen'])));
      const missing = bot.senderCount - n;
      if (missing <= 0) return 0;
      const fresh = await tx
        .select({ id: senders.id, username: senders.username })
        .from(senders)
        .where(and(eq(senders.state, 'unused'), sql`(${senders.frozenUntil} is null or ${senders.frozenUntil} <= now())`))
        .orderBy(asc(senders.createdAt), asc(senders.id))
        .limit(missing)
        .for('update', { skipLocked: true });
      if (fresh.length === 0) return 0;
      await tx
        .update(senders)
        .set({ state: 'assigned', adbotId: id, orderId: null, updatedAt: sql`now()` })
        .where(
          inArray(
            senders.id,
            fresh.map((s) => s.id),
          ),
        );
      const names = fresh.map((s) => `@${s.username}`).join(', ');
      await logActivity({ db: tx, actorRole: 'system', action: 'adbot.topped_up', subjectType: 'adbot', subjectId: id, details: { senders: names } });
      await notifyUser({
        db: tx,
        userId: bot.userId,
        kind: 'sender_replaced',
        title: `New sender${fresh.length > 1 ? 's' : ''} for your adbot: ${names}`,
        body: `A sender Telegram stopped accepting has been replaced by ${names}. Add ${fresh.length > 1 ? 'them' : 'it'} to your groups (as an admin in channels), then press Re-check.`,
        dedupeKey: `adbot:${id}:topup:${fresh.map((s) => s.id).join(',')}`,
      });
      return fresh.length;
    });
    added += got;
  }
  return { added };
}

import { and, asc, desc, eq, gte, sql } from 'drizzle-orm';
import { adbots, orders, senders, targetChats } from '../../db/schema.js';
import type { AppContext } from '../../platform/app-context.js';
import { logActivity } from '../../platform/log-activity.js';
import { notifyAdmins } from '../../platform/notifications/notify-admins.js';
import { notifyUser } from '../../platform/notifications/notify-user.js';

export type ReplaceBannedSenderOptions = {
  ctx: Pick<AppContext, 'db'>;
  senderId: string;
  /** What Telegram said (401 Unauthorized: the token was revoked or the bot deleted). */
  reason: string;
};

export type ReplaceBannedSenderResult =
  | { outcome: 'already_banned' }
  | { outcome: 'not_assigned' }
  | { outcome: 'replaced'; adbotId: string; replacementId: string; replacementUsername: string }
  | { outcome: 'short'; adbotId: string };

/**
 * A sender whose token Telegram refuses is dead for good: it becomes `banned` and an unused
 * sender from stock takes its place on the adbot. The chats it served go back to `pending`
 * so the next check hands each one to whichever of the adbot's senders can post there (the
 * new bot first has to be added by the customer, who is told so). With stock empty, or while
 * paid back-orders wait (those customers paid first), the adbot runs one sender short and the
 * admins are alerted; the stock job tops it up after the back-orders (top-up-short-adbots).
 * Safe to call twice.
 */
export async function replaceBannedSender({ ctx, senderId, reason }: ReplaceBannedSenderOptions): Promise<ReplaceBannedSenderResult> {
  return ctx.db.transaction(async (tx) => {
    const [dead] = await tx.select().from(senders).where(eq(senders.id, senderId)).for('update');
    if (!dead || dead.state === 'banned') return { outcome: 'already_banned' as const };
    // Banned senders stay attached to their adbot: the customer sees what happened to it.
    await tx
      .update(senders)
      .set({ state: 'banned', frozenUntil: null, lastError: reason.slice(0, 500), updatedAt: sql`now()` })
      .where(eq(senders.id, senderId));
    await logActivity({
      db: tx,
      actorRole: 'system',
      action: 'sender.banned',
      subjectType: 'sender',
      subjectId: senderId,
      details: { username: dead.username, reason, adbotId: dead.adbotId },
    });
    if (!dead.adbotId) return { outcome: 'not_assigned' as const };
    const adbotId = dead.adbotId;
    await tx
      .update(targetChats)
      .set({ senderId: null, status: 'pending', lastError: null })
      .where(and(eq(targetChats.adbotId, adbotId), eq(targetChats.senderId, senderId), gte(targetChats.position, 0)));

    const [bot] = await tx.select({ userId: adbots.userId }).from(adbots).where(eq(adbots.id, adbotId));
    const [waiting] = await tx
      .select({ id: orders.id })
      .from(orders)
      .where(and(eq(orders.status, 'paid'), eq(orders.backordered, true)))
      .limit(1);
    const [replacement] = waiting
      ? []
      : await tx
          .select({ id: senders.id, username: senders.username })
          .from(senders)
          // A sender released during a flood wait keeps it: it is not handed out before it ends.
          .where(and(eq(senders.state, 'unused'), sql`(${senders.frozenUntil} is null or ${senders.frozenUntil} <= now())`))
          // Like for like: a real bot is replaced by a real bot when stock has one.
          .orderBy(desc(sql`${senders.isSandbox} = ${dead.isSandbox}`), asc(senders.createdAt), asc(senders.id))
          .limit(1)
          .for('update', { skipLocked: true });

    if (!replacement) {
      await notifyAdmins({
        db: tx,
        kind: 'stock_empty',
        title: waiting ? 'Banned sender not replaced: paid back-orders come first' : 'No stock to replace a banned sender',
        body: `Sender @${dead.username} was refused by Telegram (${reason}). Adbot ${adbotId} now runs one sender short${waiting ? ' because paid back-ordered orders are waiting for stock' : ''}: add senders to stock, and it will be topped up automatically (after any paid back-orders).`,
        dedupeKey: `sender:${senderId}:banned:short`,
      });
      if (bot) {
        await notifyUser({
          db: tx,
          userId: bot.userId,
          kind: 'sender_banned',
          title: `Sender @${dead.username} stopped working`,
          body: `Telegram no longer accepts @${dead.username}. Your other senders keep posting; we will add a replacement as soon as one is available.`,
          dedupeKey: `sender:${senderId}:banned`,
        });
      }
      return { outcome: 'short' as const, adbotId };
    }

    await tx.update(senders).set({ state: 'assigned', adbotId, orderId: null, updatedAt: sql`now()` }).where(eq(senders.id, replacement.id));
    await logActivity({
      db: tx,
      actorRole: 'system',
      action: 'sender.replaced',
      subjectType: 'adbot',
      subjectId: adbotId,
      details: { banned: dead.username, replacement: replacement.username },
    });
    if (bot) {
      await notifyUser({
        db: tx,
        userId: bot.userId,
        kind: 'sender_replaced',
        title: `Sender @${dead.username} was replaced by @${replacement.username}`,
        body: `Telegram no longer accepts @${dead.username}, so we gave your adbot @${replacement.username} instead. Add @${replacement.username} to the chats @${dead.username} was posting in (as an admin in channels), then press Re-check.`,
        dedupeKey: `sender:${senderId}:banned`,
      });
    }
    return { outcome: 'replaced' as const, adbotId, replacementId: replacement.id, replacementUsername: replacement.username };
  });
}

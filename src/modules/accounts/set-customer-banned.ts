import { eq, sql } from 'drizzle-orm';
import { users } from '../../db/schema.js';
import type { AppContext } from '../../platform/app-context.js';
import { logActivity } from '../../platform/log-activity.js';
import { notifyUser } from '../../platform/notifications/notify-user.js';
import { queueEmail } from '../../platform/notifications/queue-email.js';
import { stopRunningAdbotOf } from '../adbots/adbot-lifecycle.js';
import { findCustomerForUpdate } from './find-customer.js';

const SUPPORT_EMAIL = 'support@hqadz.example';

export type SetCustomerBannedOptions = { ctx: AppContext; adminUserId: string; userId: string; banned: boolean };

export type SetCustomerBannedResult = { id: string; email: string | null; banned: boolean; botStopped: boolean };

/**
 * Bans or unbans a customer. A ban also stops a running bot, so posting halts at once;
 * an unban leaves it stopped — the customer chooses when to start again. Either change is
 * told to the customer with the support address, so a ban is never a silent lock-out: in the
 * app, and by email too, since a banned customer cannot log in to read the app.
 */
export async function setCustomerBanned({ ctx, adminUserId, userId, banned }: SetCustomerBannedOptions): Promise<SetCustomerBannedResult> {
  return ctx.db.transaction(async (tx) => {
    const user = await findCustomerForUpdate({ tx, userId });
    const [changed] = await tx.update(users).set({ banned, updatedAt: sql`now()` }).where(eq(users.id, user.id)).returning({ at: users.updatedAt });
    const botStopped = banned ? await stopRunningAdbotOf(tx, user.id) : false;
    if (user.banned !== banned) {
      await logActivity({
        db: tx,
        actorUserId: adminUserId,
        actorRole: 'admin',
        action: banned ? 'customer.banned' : 'customer.unbanned',
        subjectType: 'user',
        subjectId: user.id,
        details: { email: user.email, botStopped },
      });
      // Keyed by the time of the change: a later ban after an unban is a new notice.
      const dedupeKey = `user:${user.id}:${banned ? 'banned' : 'unbanned'}:${changed!.at.toISOString()}`;
      const notice = banned ? banNotice(botStopped) : unbanNotice();
      await notifyUser({ db: tx, userId: user.id, kind: banned ? 'account_banned' : 'account_unbanned', ...notice, dedupeKey });
      if (user.email) {
        await queueEmail({
          ctx,
          tx,
          to: user.email,
          subject: `HQAdz: ${notice.title.charAt(0).toLowerCase()}${notice.title.slice(1)}`,
          bodyText: `${notice.body}\n\n— HQAdz\n`,
          dedupeKey,
        });
      }
    }
    return { id: user.id, email: user.email, banned, botStopped };
  });
}

function banNotice(botStopped: boolean): { title: string; body: string } {
  return {
    title: 'Your account has been suspended',
    body:
      `Our team has suspended your HQAdz account${botStopped ? ' and paused your adbot' : ''}. ` +
      `Your ad and chats are kept. If you think this is a mistake or would like to know more, ` +
      `write to ${SUPPORT_EMAIL} and we will look into it.`,
  };
}

function unbanNotice(): { title: string; body: string } {
  return {
    title: 'Your account is active again',
    body:
      'Your HQAdz account has been restored. Your adbot does not restart by itself: press Start on your dashboard when you are ready. ' +
      `Questions? Write to ${SUPPORT_EMAIL}.`,
  };
}

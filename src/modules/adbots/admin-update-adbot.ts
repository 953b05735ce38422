import { eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { adbots, users } from '../../db/schema.js';
import { AppError } from '../../lib/errors.js';
import { logActivity } from '../../platform/log-activity.js';
import { notifyUser } from '../../platform/notifications/notify-user.js';

const SUPPORT_EMAIL = 'support@hqadz.example';

export type AdminUpdateAdbotOptions = {
  db: DbOrTx;
  adminUserId: string;
  adbotId: string;
  expiresAt?: Date;
  status?: 'running' | 'stopped' | 'suspended';
  now?: Date;
};

export type AdminAdbotView = {
  id: string;
  userId: string;
  status: 'running' | 'stopped' | 'expired' | 'suspended';
  expiresAt: Date;
  postingIntervalSeconds: number;
  senderCount: number;
  sendersReleased: boolean;
};

/**
 * An admin extends, shortens, suspends or resumes an adbot. Moving the expiry into the
 * future revives an expired bot as 'stopped'; it never makes a bot run past its expiry.
 * Senders already returned to stock are not re-assigned here (the customer renews).
 * Suspending, and lifting a suspension, is told to the customer with the support address.
 */
export async function adminUpdateAdbot({ db, adminUserId, adbotId, expiresAt, status, now = new Date() }: AdminUpdateAdbotOptions): Promise<AdminAdbotView> {
  return db.transaction(async (tx) => {
    const [bot] = await tx.select().from(adbots).where(eq(adbots.id, adbotId)).for('update');
    if (!bot) throw new AppError('not_found', 'No such adbot');
    if (status === 'running') {
      const [owner] = await tx.select({ banned: users.banned }).from(users).where(eq(users.id, bot.userId));
      if (owner?.banned) throw new AppError('conflict', "The customer's account is banned: unban it before running the adbot");
    }
    const newExpiry = expiresAt ?? bot.expiresAt;
    let newStatus = status ?? bot.status;
    if (newExpiry <= now) {
      if (newStatus === 'running') throw new AppError('plan_inactive', 'Cannot run an adbot whose expiry is in the past');
      if (newStatus === 'stopped') newStatus = 'expired';
    } else if (newStatus === 'expired') {
      newStatus = 'stopped';
    }
    const [updated] = await tx.update(adbots).set({ expiresAt: newExpiry, status: newStatus, updatedAt: sql`now()` }).where(eq(adbots.id, adbotId)).returning();
    await logActivity({
      db: tx,
      actorUserId: adminUserId,
      actorRole: 'admin',
      action: 'adbot.updated',
      subjectType: 'adbot',
      subjectId: adbotId,
      details: {
        from: { status: bot.status, expiresAt: bot.expiresAt.toISOString() },
        to: { status: newStatus, expiresAt: newExpiry.toISOString() },
      },
    });
    const u = updated!;
    const suspended = bot.status !== 'suspended' && newStatus === 'suspended';
    const resumed = bot.status === 'suspended' && newStatus !== 'suspended';
    if (suspended || resumed) {
      await notifyUser({
        db: tx,
        userId: u.userId,
        kind: suspended ? 'adbot_suspended' : 'adbot_unsuspended',
        ...(suspended ? suspendNotice() : resumeNotice(u.status)),
        // Keyed by the time of the change: each suspension or resumption is its own notice.
        dedupeKey: `adbot:${u.id}:${suspended ? 'suspended' : 'unsuspended'}:${u.updatedAt.toISOString()}`,
      });
    }
    return {
      id: u.id,
      userId: u.userId,
      status: u.status,
      expiresAt: u.expiresAt,
      postingIntervalSeconds: u.postingIntervalSeconds,
      senderCount: u.senderCount,
      sendersReleased: !!u.sendersReleasedAt,
    };
  });
}

function suspendNotice(): { title: string; body: string } {
  return {
    title: 'Your adbot has been paused by our team',
    body:
      'An administrator has suspended your adbot, so it is not posting for now. Your ad, chats and senders are kept. ' +
      `To find out why or to ask for it to be resumed, write to ${SUPPORT_EMAIL}.`,
  };
}

function resumeNotice(status: AdminAdbotView['status']): { title: string; body: string } {
  const next =
    status === 'running'
      ? 'It is posting again.'
      : status === 'expired'
        ? 'Your plan has ended, so renew from your dashboard to post again.'
        : 'Press Start on your dashboard when you are ready to post again.';
  return {
    title: 'Your adbot is no longer suspended',
    body: `${next} Questions? Write to ${SUPPORT_EMAIL}.`,
  };
}

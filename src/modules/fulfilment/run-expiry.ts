import { and, eq, gt, inArray, isNull, lte } from 'drizzle-orm';
import { adbots, users } from '../../db/schema.js';
import type { AppContext } from '../../platform/app-context.js';
import { logActivity } from '../../platform/log-activity.js';
import { notifyUser } from '../../platform/notifications/notify-user.js';
import { queueEmail } from '../../platform/notifications/queue-email.js';
import { expireDueAdbots, markExpiryReminded, markSendersReleased } from '../adbots/adbot-lifecycle.js';
import { releaseAdbotSenders } from '../stock/release-adbot-senders.js';
import { formatUtc } from './fulfilment-messages.js';

export type RunExpiryOptions = { ctx: AppContext; now?: Date };
export type RunExpiryResult = { reminded: number; expired: number; released: number };

const DAY_MS = 86_400_000;
const REMINDERS = [
  { kind: '1d', withinMs: DAY_MS, words: '1 day' },
  { kind: '3d', withinMs: 3 * DAY_MS, words: '3 days' },
] as const;

/**
 * Plan lifecycle, run every minute: reminders 3 days and 1 day before expiry, expiry at
 * expiresAt, senders back to stock after the grace period. Each step re-checks its
 * condition in the statement that applies it, so a renewal committed meanwhile wins.
 */
export async function runExpiry({ ctx, now = new Date() }: RunExpiryOptions): Promise<RunExpiryResult> {
  return { reminded: await sendReminders(ctx, now), expired: await expireBots(ctx, now), released: await releaseAfterGrace(ctx, now) };
}

async function sendReminders(ctx: AppContext, now: Date): Promise<number> {
  let reminded = 0;
  const soon = await ctx.db
    .select({ id: adbots.id, userId: adbots.userId, expiresAt: adbots.expiresAt, remindedFor: adbots.remindedFor, email: users.email })
    .from(adbots)
    .innerJoin(users, eq(users.id, adbots.userId))
    .where(and(inArray(adbots.status, ['running', 'stopped']), gt(adbots.expiresAt, now), lte(adbots.expiresAt, new Date(now.getTime() + 3 * DAY_MS))));
  for (const bot of soon) {
    const left = bot.expiresAt.getTime() - now.getTime();
    // The closest reminder only: a bot bought 2 days before expiry never gets the 3-day one late.
    const reminder = REMINDERS.find((r) => left <= r.withinMs)!;
    const expiry = bot.expiresAt.toISOString();
    // Keyed by expiry, so a renewal (new expiresAt) arms the reminders again.
    if (bot.remindedFor[reminder.kind] === expiry) continue;
    await ctx.db.transaction(async (tx) => {
      const key = `adbot:${bot.id}:expiry:${expiry}:${reminder.kind}`;
      const title = `Your plan expires in ${reminder.words}`;
      const body = `Your HQAdz plan ends on ${formatUtc(bot.expiresAt)}. Renew from your dashboard to keep posting and keep your senders.`;
      await notifyUser({ db: tx, userId: bot.userId, kind: 'expiry_reminder', title, body, dedupeKey: key });
      if (bot.email) {
        await queueEmail({
          ctx,
          tx,
          to: bot.email,
          subject: title,
          bodyText: `${body}\n\nDashboard: ${ctx.config.publicUrl}/dashboard`,
          dedupeKey: key,
        });
      }
      await markExpiryReminded(tx, bot.id, bot.expiresAt, reminder.kind);
    });
    reminded++;
  }

  return reminded;
}

async function expireBots(ctx: AppContext, now: Date): Promise<number> {
  // Suspended bots stay suspended (an admin's decision) but still lose their senders after grace.
  const expired = await expireDueAdbots(ctx.db, now);
  for (const bot of expired) {
    await notifyUser({
      db: ctx.db,
      userId: bot.userId,
      kind: 'plan_expired',
      title: 'Your plan has expired',
      body: `Posting stopped on ${formatUtc(bot.expiresAt)}. Renew within ${ctx.config.expiryGraceDays} days to keep your senders and chats.`,
      dedupeKey: `adbot:${bot.id}:expired:${bot.expiresAt.toISOString()}`,
    });
  }

  return expired.length;
}

/** Senders back to stock after the grace period. */
async function releaseAfterGrace(ctx: AppContext, now: Date): Promise<number> {
  let releasedCount = 0;
  const graceEnd = new Date(now.getTime() - ctx.config.expiryGraceDays * DAY_MS);
  const lapsed = await ctx.db
    .select({ id: adbots.id })
    .from(adbots)
    .where(and(lte(adbots.expiresAt, graceEnd), isNull(adbots.sendersReleasedAt)));
  for (const { id } of lapsed) {
    const released = await ctx.db.transaction(async (tx) => {
      const [bot] = await tx.select().from(adbots).where(eq(adbots.id, id)).for('update');
      if (!bot || bot.sendersReleasedAt || bot.expiresAt > graceEnd) return false;
      const count = await releaseAdbotSenders({ tx, adbotId: id, jobs: ctx.jobs });
      await markSendersReleased(tx, id, now);
      await logActivity({
        db: tx,
        actorRole: 'system',
        action: 'adbot.senders_released',
        subjectType: 'adbot',
        subjectId: id,
        details: { count },
      });
      return true;
    });
    if (released) releasedCount++;
  }
  return releasedCount;
}

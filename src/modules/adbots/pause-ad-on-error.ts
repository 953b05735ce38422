// An ad Telegram refuses whatever the chat (a dead image link, a deleted source post, broken
// formatting) would fail in every chat, every slot. So the whole adbot stops, says why on the
// dashboard (ad_error), and the customer is told once; editing the ad or pressing Start clears it.
import { createHash } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { adbots } from '../../db/schema.js';
import { notifyUser } from '../../platform/notifications/notify-user.js';
import { adPausedMessage } from '../../shared/ad-paused-message.js';

export type PauseAdOnErrorOptions = {
  db: DbOrTx;
  adbotId: string;
  /** For the customer: what is wrong with the ad, without Telegram's jargon. */
  reason: string;
  at: Date;
};

/**
 * Stops a running adbot because of its ad; returns false when it was not running (already
 * paused by another chat's failure in the same tick, stopped, expired): then nothing changes and
 * nobody is notified again. The notification's key is the ad's content and the reason, so Start
 * without an edit that fails the same way pauses again but does not repeat the message.
 */
export async function pauseAdOnError({ db, adbotId, reason, at }: PauseAdOnErrorOptions): Promise<boolean> {
  // Telegram's own words go on the failed post row; the dashboard shows the plain reason.
  const adError = reason.slice(0, 500);
  return db.transaction(async (tx) => {
    // Conditional on 'running': concurrent failures in several chats serialize on the row and
    // only the first one finds it running.
    const [paused] = await tx
      .update(adbots)
      .set({ status: 'stopped', adError, adErrorAt: at, updatedAt: sql`now()` })
      .where(and(eq(adbots.id, adbotId), eq(adbots.status, 'running')))
      .returning({ userId: adbots.userId, post: adbots.post });
    if (!paused) return false;
    const fingerprint = createHash('sha256')
      .update(JSON.stringify(paused.post ?? null))
      .update('\0')
      .update(reason)
      .digest('hex')
      .slice(0, 32);
    await notifyUser({
      db: tx,
      userId: paused.userId,
      kind: 'ad_paused',
      title: 'Your ad was paused',
      body: adPausedMessage(reason),
      dedupeKey: `ad_paused:${adbotId}:${fingerprint}`,
    });
    return true;
  });
}

// Adbots owns the adbots table: fulfilment provisions and extends a plan, the expiry job ends
// it and an admin's ban pauses it, all through these functions.
import { and, eq, inArray, lte, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { adbots } from '../../db/schema.js';

type Adbot = typeof adbots.$inferSelect;

export type AdbotPlan = { planId: string; postingIntervalSeconds: number; senderCount: number; expiresAt: Date };

/** A first purchase: the customer's one adbot, stopped until they start it. */
export async function createAdbot(db: DbOrTx, userId: string, plan: AdbotPlan): Promise<string> {
  const [created] = await db
    .insert(adbots)
    .values({ userId, ...plan, status: 'stopped' })
    .returning({ id: adbots.id });
  return created!.id;
}

/** A renewal or a plan change: the new plan and expiry; an expired bot comes back stopped (the customer decides when posting resumes). */
export async function applyPlanToAdbot(db: DbOrTx, adbot: Pick<Adbot, 'id' | 'status'>, plan: AdbotPlan): Promise<void> {
  await db
    .update(adbots)
    .set({
      ...plan,
      status: adbot.status === 'expired' ? 'stopped' : adbot.status,
      sendersReleasedAt: null,
      updatedAt: sql`now()`,
    })
    .where(eq(adbots.id, adbot.id));
}

/**
 * Days credited to the running plan (a smaller plan paid while it runs): only the expiry moves;
 * plan, senders, interval and status stay as they are, since a paid order never lowers a plan.
 */
export async function extendAdbotExpiry(db: DbOrTx, adbotId: string, expiresAt: Date): Promise<void> {
  await db.update(adbots).set({ expiresAt, updatedAt: sql`now()` }).where(eq(adbots.id, adbotId));
}

/** An admin's ban: a running bot stops at once. Returns whether one did. */
export async function stopRunningAdbotOf(db: DbOrTx, userId: string): Promise<boolean> {
  const stopped = await db
    .update(adbots)
    .set({ status: 'stopped', updatedAt: sql`now()` })
    .where(and(eq(adbots.userId, userId), eq(adbots.status, 'running')))
    .returning({ id: adbots.id });
  return stopped.length > 0;
}

/** Remembers which expiry reminder went out, only while the expiry is still the one reminded of. */
export async function markExpiryReminded(db: DbOrTx, adbotId: string, expiresAt: Date, reminder: string): Promise<void> {
  await db
    .update(adbots)
    .set({ remindedFor: sql`${adbots.remindedFor} || ${JSON.stringify({ [reminder]: expiresAt.toISOString() })}::jsonb` })
    .where(and(eq(adbots.id, adbotId), eq(adbots.expiresAt, expiresAt)));
}

/** Running or stopped bots past their expiry become expired (suspended ones stay suspended). */
export async function expireDueAdbots(db: DbOrTx, now: Date): Promise<{ id: string; userId: string; expiresAt: Date }[]> {
  return db
    .update(adbots)
    .set({ status: 'expired', updatedAt: sql`now()` })
    .where(and(inArray(adbots.status, ['running', 'stopped']), lte(adbots.expiresAt, now)))
    .returning({ id: adbots.id, userId: adbots.userId, expiresAt: adbots.expiresAt });
}

/** After the grace period the senders went back to stock: a purchase now starts from scratch. */
export async function markSendersReleased(db: DbOrTx, adbotId: string, at: Date): Promise<void> {
  await db.update(adbots).set({ sendersReleasedAt: at, updatedAt: sql`now()` }).where(eq(adbots.id, adbotId));
}

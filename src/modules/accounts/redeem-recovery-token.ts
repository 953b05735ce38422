import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import { recoveryTokens, users } from '../../db/schema.js';
import { sha256 } from '../../lib/crypto.js';
import { AppError } from '../../lib/errors.js';
import type { AppContext } from '../../platform/app-context.js';
import { logActivity } from '../../platform/log-activity.js';
import { queueEmail } from '../../platform/notifications/queue-email.js';
import { issueAccessCode } from './issue-access-code.js';
import { type Role, signSessionToken } from './tokens.js';

export type RedeemRecoveryTokenOptions = { ctx: AppContext; token: string };
export type RedeemRecoveryTokenResult = { token: string; accessCode: string; role: Role };

/**
 * Trades a recovery link's token for a new access code, once. Issuing the code ends the old
 * code and every session made before it (the same rule as an admin's rotation).
 */
export async function redeemRecoveryToken({ ctx, token }: RedeemRecoveryTokenOptions): Promise<RedeemRecoveryTokenResult> {
  const result = await ctx.db.transaction(async (tx) => {
    // One statement claims the token, so two clicks on the link cannot both get a code.
    const [claimed] = await tx
      .update(recoveryTokens)
      .set({ usedAt: sql`now()` })
      .where(and(eq(recoveryTokens.tokenHash, sha256(token)), isNull(recoveryTokens.usedAt), gt(recoveryTokens.expiresAt, sql`now()`)))
      .returning({ userId: recoveryTokens.userId });
    if (!claimed) throw new AppError('gone', 'This link has expired or was already used. Ask for a new one on the login page.');
    const [user] = await tx
      .select({ id: users.id, email: users.email, role: users.role, banned: users.banned, sessionVersion: users.sessionVersion })
      .from(users)
      .where(eq(users.id, claimed.userId))
      .for('update');
    if (!user || user.banned) throw new AppError('forbidden', 'This account has been suspended. Contact support if you think this is a mistake.');
    // Any other link still in the inbox dies with this one.
    await tx
      .update(recoveryTokens)
      .set({ usedAt: sql`now()` })
      .where(and(eq(recoveryTokens.userId, user.id), isNull(recoveryTokens.usedAt)));
    const accessCode = await issueAccessCode({ tx, userId: user.id });
    await logActivity({
      db: tx,
      actorUserId: user.id,
      actorRole: user.role === 'reseller' ? 'reseller' : 'customer',
      action: 'account.access_code_recovered',
      subjectType: 'user',
      subjectId: user.id,
      details: { email: user.email },
    });
    if (user.email) {
      await queueEmail({
        ctx,
        tx,
        to: user.email,
        subject: 'HQAdz: your access code was changed',
        bodyText:
          `Your HQAdz access code was just replaced through a recovery link, at ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC.\n` +
          `The old code no longer works, and every device that was logged in has been logged out.\n\n` +
          `If this was not you, write to support at once.\n\n— HQAdz\n`,
        dedupeKey: `recovered:${user.id}:${Date.now()}`,
      });
    }
    return { user, accessCode };
  });
  const session = { id: result.user.id, role: result.user.role, sessionVersion: result.user.sessionVersion };
  return { token: await signSessionToken(session, ctx.config.jwtSecret), accessCode: result.accessCode, role: session.role };
}

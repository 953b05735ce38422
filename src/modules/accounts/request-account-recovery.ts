import { randomBytes } from 'node:crypto';
import { and, eq, ne } from 'drizzle-orm';
import { countHit } from '../../db/hit-counter.js';
import { recoveryTokens, users } from '../../db/schema.js';
import { sha256 } from '../../lib/crypto.js';
import type { AppContext } from '../../platform/app-context.js';
import { queueEmail } from '../../platform/notifications/queue-email.js';

export const RECOVERY_TTL_MS = 30 * 60_000;
/** Links per email address per hour: enough for a typo or a slow inbox, too few to spam anyone. */
const LINKS_PER_EMAIL_PER_HOUR = 3;

export type RequestAccountRecoveryOptions = { ctx: AppContext; email: string };

/**
 * "Lost your code?": emails a one-time link to the address on the account. The caller learns
 * nothing either way (no account enumeration); the inbox's owner is the account's owner.
 * Admins recover with the operator CLI instead (`hqadz admin rotate-code`).
 */
export async function requestAccountRecovery({ ctx, email }: RequestAccountRecoveryOptions): Promise<void> {
  const address = email.trim().toLowerCase();
  // Counted whether or not the account exists, so the limit itself reveals nothing.
  const { hits } = await countHit({ db: ctx.db, key: `recover-email:${address}`, windowMs: 3_600_000 });
  if (hits > LINKS_PER_EMAIL_PER_HOUR) {
    ctx.log.warn({ hits }, 'account recovery: per-email limit reached; no link sent');
    return;
  }
  const [user] = await ctx.db
    .select({ id: users.id, email: users.email })
    .from(users)
    .where(and(eq(users.email, address), ne(users.role, 'admin'), eq(users.banned, false)))
    .limit(1);
  if (!user?.email) return;
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(Date.now() + RECOVERY_TTL_MS);
  const link = `${ctx.config.publicUrl.replace(/\/$/, '')}/login?recover=${token}`;
  await ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(recoveryTokens)
      .values({ userId: user.id, tokenHash: sha256(token), expiresAt })
      .returning({ id: recoveryTokens.id });
    await queueEmail({
      ctx,
      tx,
      to: user.email!,
      subject: 'HQAdz: your link to a new access code',
      bodyText:
        `Someone (hopefully you) asked for a new HQAdz access code for this address.\n\n` +
        `Open this link within 30 minutes to get one. It works once:\n${link}\n\n` +
        `Your current code keeps working until you open the link. If you did not ask for this, ignore this email.\n\n— HQAdz\n`,
      // Masked in the stored copy once sent, like access codes: the link is a way in.
      secrets: [token],
      dedupeKey: `recovery:${row!.id}`,
    });
  });
}

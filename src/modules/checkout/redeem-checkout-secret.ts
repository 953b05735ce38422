// POST /api/auth/checkout: the browser that paid for a NEW account logs straight in, once,
// and sees the access code that fulfilment sealed into the order for it. The session it gets
// lasts until another order for the email is paid (tokens.ts `cv`).
import { eq, sql } from 'drizzle-orm';
import { orders, users } from '../../db/schema.js';
import { decrypt, sha256 } from '../../lib/crypto.js';
import { AppError } from '../../lib/errors.js';
import type { AppContext } from '../../platform/app-context.js';
import { logActivity } from '../../platform/log-activity.js';
import { hashAccessCode } from '../accounts/issue-access-code.js';
import { type Role, signSessionToken } from '../accounts/tokens.js';

export type RedeemCheckoutSecretOptions = { ctx: AppContext; checkoutSecret: string };

export type RedeemedCheckout = { token: string; role: Role; accessCode: string | null; userId: string };

export async function redeemCheckoutSecret({ ctx, checkoutSecret }: RedeemCheckoutSecretOptions): Promise<RedeemedCheckout> {
  const hash = sha256(checkoutSecret.trim());
  const redeemed = await ctx.db.transaction(async (tx) => {
    // The row lock makes a second concurrent redemption wait, then see it used (410); the user's
    // lock orders this after a fulfilment rotating the code, so the code shown is still current.
    const [row] = await tx
      .select({
        order: orders,
        user: {
          role: users.role,
          banned: users.banned,
          sessionVersion: users.sessionVersion,
          checkoutVersion: users.checkoutSessionVersion,
          accessCodeHash: users.accessCodeHash,
        },
      })
      .from(orders)
      .innerJoin(users, eq(users.id, orders.userId))
      .where(eq(orders.checkoutSecretHash, hash))
      .for('update', { of: [orders, users] });
    if (!row) throw new AppError('unauthorized', 'This checkout link is not valid');
    const { order, user } = row;
    if (order.checkoutSecretUsedAt) throw new AppError('gone', 'This checkout link was already used: log in with your access code');
    if (!order.checkoutSecretExpiresAt || order.checkoutSecretExpiresAt.getTime() <= Date.now()) {
      throw new AppError('gone', 'This checkout link has expired: log in with the access code from your email');
    }
    if (order.status === 'expired' || order.status === 'failed' || order.status === 'refunded') {
      throw new AppError('gone', 'This order was not completed: start a new order or log in with your access code');
    }
    if (order.status !== 'fulfilled') {
      throw new AppError('not_ready', 'Your order is not ready yet: we are still setting up your bot');
    }
    // Only an order fulfilment sealed a code into may log in (the one that created the account, or
    // one checked out before it that got the code rotated; see secure-account-on-payment.ts):
    // anyone can pay for a known email, and paying must not open that account.
    if (!order.pendingAccessCode) {
      throw new AppError('conflict', 'This email already has an HQAdz account — log in with the access code from your email');
    }
    const accessCode = openSealedCode(ctx, order.pendingAccessCode, order.userId);
    // A later paid order rotated the code this panel holds: the inbox has the one that works.
    if (accessCode && hashAccessCode(accessCode) !== user.accessCodeHash) {
      throw new AppError('conflict', 'The access code of this order was replaced by a newer one: log in with the access code from your latest HQAdz email');
    }
    if (user.banned) throw new AppError('forbidden', 'This account is suspended; contact support');
    // The database's clock, after the locks: compared with the code's issue time (issue-access-code.ts).
    await tx
      .update(orders)
      .set({ checkoutSecretUsedAt: sql`clock_timestamp()`, pendingAccessCode: null, updatedAt: new Date() })
      .where(eq(orders.id, order.id));
    await logActivity({
      db: tx,
      actorUserId: order.userId,
      actorRole: 'customer',
      action: 'auth.checkout_login',
      subjectType: 'order',
      subjectId: order.id,
    });
    return { userId: order.userId, ...user, accessCode };
  });

  // A checkout session carries the checkout-session version: the next paid order for this email ends it.
  const session = { id: redeemed.userId, role: redeemed.role, sessionVersion: redeemed.sessionVersion, checkoutVersion: redeemed.checkoutVersion };
  const token = await signSessionToken(session, ctx.config.jwtSecret);
  return { token, role: redeemed.role, accessCode: redeemed.accessCode, userId: redeemed.userId };
}

function openSealedCode(ctx: AppContext, sealed: string, userId: string): string | null {
  try {
    return decrypt(sealed, ctx.config.encryptionKey);
  } catch (err) {
    // The login still works; the code is in the fulfilment email.
    ctx.log.error({ err, userId }, 'could not decrypt the pending access code');
    return null;
  }
}

// POST /api/auth/checkout: the browser that paid for a NEW account logs straight in, once,
// and sees the access code that fulfilment sealed into the order for it.
import { eq } from 'drizzle-orm';
import { orders, users } from '../../db/schema.js';
import { decrypt, sha256 } from '../../lib/crypto.js';
import { AppError } from '../../lib/errors.js';
import type { AppContext } from '../../platform/app-context.js';
import { logActivity } from '../../platform/log-activity.js';
import { type Role, signSessionToken } from '../accounts/tokens.js';

export type RedeemCheckoutSecretOptions = { ctx: AppContext; checkoutSecret: string };

export type RedeemedCheckout = { token: string; role: Role; accessCode: string | null; userId: string };

export async function redeemCheckoutSecret({ ctx, checkoutSecret }: RedeemCheckoutSecretOptions): Promise<RedeemedCheckout> {
  const hash = sha256(checkoutSecret.trim());
  const redeemed = await ctx.db.transaction(async (tx) => {
    // The row lock makes a second concurrent redemption wait, then see it used (410).
    const [row] = await tx
      .select({ order: orders, role: users.role, banned: users.banned, sessionVersion: users.sessionVersion })
      .from(orders)
      .innerJoin(users, eq(users.id, orders.userId))
      .where(eq(orders.checkoutSecretHash, hash))
      .for('update', { of: orders });
    if (!row) throw new AppError('unauthorized', 'This checkout link is not valid');
    const { order } = row;
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
    // Only the order that created the account (fulfilment sealed its first access code into it)
    // may log in: anyone can pay for a known email, and paying must not open that account.
    if (!order.pendingAccessCode) {
      throw new AppError('conflict', 'This email already has an HQAdz account — log in with your access code');
    }
    if (row.banned) throw new AppError('forbidden', 'This account is suspended; contact support');
    await tx.update(orders).set({ checkoutSecretUsedAt: new Date(), pendingAccessCode: null, updatedAt: new Date() }).where(eq(orders.id, order.id));
    await logActivity({
      db: tx,
      actorUserId: order.userId,
      actorRole: 'customer',
      action: 'auth.checkout_login',
      subjectType: 'order',
      subjectId: order.id,
    });
    return { userId: order.userId, role: row.role, sessionVersion: row.sessionVersion, sealedCode: order.pendingAccessCode };
  });

  let accessCode: string | null = null;
  if (redeemed.sealedCode) {
    try {
      accessCode = decrypt(redeemed.sealedCode, ctx.config.encryptionKey);
    } catch (err) {
      // The login still works; the code is in the fulfilment email.
      ctx.log.error({ err, userId: redeemed.userId }, 'could not decrypt the pending access code');
    }
  }
  const token = await signSessionToken({ id: redeemed.userId, role: redeemed.role, sessionVersion: redeemed.sessionVersion }, ctx.config.jwtSecret);
  return { token, role: redeemed.role, accessCode, userId: redeemed.userId };
}

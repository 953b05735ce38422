// Whoever owns the inbox owns the account. Anyone can pay for any email, and the browser that
// paid sees the account's access code once, in the checkout's one-time panel — so a code shown
// there may have been shown to a stranger. Each paid order for an existing account therefore:
//   1. ends every session opened with a checkout secret before it (users.checkout_session_version
//      moves on; sessions opened by logging in with the access code are not touched by this);
//   2. rotates the access code if the current one was exposed through a checkout secret — shown
//      by a one-time panel since it was issued, or still waiting, unredeemed, in another order's
//      panel. The fresh code goes in this order's email, to the inbox; the old code, and every
//      session opened before (log-ins included: that is what a new code means), stop working;
//   3. shows the fresh code in this order's own one-time panel only if the order was checked out
//      before the account's first order was fulfilled — when the email had no account yet, the
//      same trust as the first order's panel. An order checked out for an email that already had
//      an account never shows a code to its payer: the inbox gets it.
import { and, eq, gte, isNotNull, isNull, min, ne, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { orders, users } from '../../db/schema.js';
import { decrypt } from '../../lib/crypto.js';
import { hashAccessCode, issueAccessCode } from './issue-access-code.js';

export type SecureAccountOnPaymentOptions = {
  tx: Tx;
  /** The paying user's row, locked by the caller. */
  user: Pick<typeof users.$inferSelect, 'id' | 'accessCodeHash' | 'accessCodeIssuedAt'>;
  order: { id: string; createdAt: Date };
  encryptionKey: Buffer;
  now: Date;
};

export type AccountAccessOnPayment = {
  /** The code this order's email carries: the account's first, or a fresh one replacing an exposed code. */
  accessCode: string | null;
  reason: 'first' | 'rotated' | null;
  /** Whether the order's one-time checkout panel may show `accessCode` too. */
  showToPayer: boolean;
};

export async function secureAccountOnPayment({ tx, user, order, encryptionKey, now }: SecureAccountOnPaymentOptions): Promise<AccountAccessOnPayment> {
  if (!user.accessCodeHash) {
    // The first order makes the account: its payer is the only one who could have paid yet.
    return { accessCode: await issueAccessCode({ tx, userId: user.id }), reason: 'first', showToPayer: true };
  }
  const [bumped] = await tx
    .update(users)
    .set({ checkoutSessionVersion: sql`${users.checkoutSessionVersion} + 1`, updatedAt: now })
    .where(eq(users.id, user.id))
    .returning({ id: users.id });
  if (!bumped) throw new Error(`secureAccountOnPayment: no user ${user.id}`);
  if (!(await codeExposedAtCheckout({ tx, user, orderId: order.id, encryptionKey, now }))) {
    return { accessCode: null, reason: null, showToPayer: false };
  }
  const accessCode = await issueAccessCode({ tx, userId: user.id });
  return { accessCode, reason: 'rotated', showToPayer: await checkedOutBeforeAccount(tx, user.id, order) };
}

type ExposedOptions = Omit<SecureAccountOnPaymentOptions, 'order'> & { orderId: string };

async function codeExposedAtCheckout({ tx, user, orderId, encryptionKey, now }: ExposedOptions): Promise<boolean> {
  // Both times are the database's clock, and a redemption waits for the user's row lock that this
  // fulfilment holds: a panel redeemed at or after the issue showed the current code.
  const since = user.accessCodeIssuedAt ?? new Date(0);
  const [shown] = await tx
    .select({ id: orders.id })
    .from(orders)
    .where(and(eq(orders.userId, user.id), ne(orders.id, orderId), gte(orders.checkoutSecretUsedAt, since)))
    .limit(1);
  if (shown) return true;
  // A panel not yet opened holds the code it was sealed with: exposed if that is still the current one.
  const waiting = await tx
    .select({ sealed: orders.pendingAccessCode })
    .from(orders)
    .where(
      and(
        eq(orders.userId, user.id),
        ne(orders.id, orderId),
        isNotNull(orders.pendingAccessCode),
        isNull(orders.checkoutSecretUsedAt),
        gte(orders.checkoutSecretExpiresAt, now),
      ),
    );
  return waiting.some(({ sealed }) => {
    try {
      return hashAccessCode(decrypt(sealed!, encryptionKey)) === user.accessCodeHash;
    } catch {
      // Unreadable with this key: the panel cannot show it either (redeem decrypts the same way).
      return false;
    }
  });
}

/** Checked out before any other order of the account was fulfilled, i.e. before the account had a code. */
async function checkedOutBeforeAccount(tx: Tx, userId: string, order: { id: string; createdAt: Date }): Promise<boolean> {
  const [first] = await tx
    .select({ at: min(orders.fulfilledAt) })
    .from(orders)
    .where(and(eq(orders.userId, userId), ne(orders.id, order.id), isNotNull(orders.fulfilledAt)));
  return first?.at != null && order.createdAt.getTime() < new Date(first.at).getTime();
}

import { eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { users } from '../../db/schema.js';
import { normaliseCode, randomCode, sha256 } from '../../lib/crypto.js';

export type IssueAccessCodeOptions = { tx: DbOrTx; userId: string };

/**
 * Gives the user a new access code (128 random bits) and returns it in plain text: the
 * only time it exists outside the caller. The database keeps only its hash, so issuing
 * again replaces the old code (this is also how a code is rotated). The issue time is the
 * database's clock, as is a checkout panel's redemption: which of the two came first decides
 * whether a panel showed this code (secure-account-on-payment.ts), whatever process did each.
 */
export async function issueAccessCode({ tx, userId }: IssueAccessCodeOptions): Promise<string> {
  const code = randomCode('HQ');
  const updated = await tx
    .update(users)
    .set({ accessCodeHash: hashAccessCode(code), accessCodeIssuedAt: sql`clock_timestamp()`, updatedAt: new Date() })
    .where(eq(users.id, userId))
    .returning({ id: users.id });
  if (updated.length === 0) throw new Error(`issueAccessCode: no user ${userId}`);
  return code;
}

/** The stored form of an access code, insensitive to case, spaces and surrounding whitespace. */
export function hashAccessCode(code: string): string {
  return sha256(normaliseCode(code));
}

import { eq, sql } from 'drizzle-orm';
import type { DbOrTx, Tx } from '../../db/client.js';
import { resellers, users } from '../../db/schema.js';
import { AppError } from '../../lib/errors.js';
import { logActivity } from '../../platform/log-activity.js';
import { normaliseEmail } from '../accounts/find-or-create-customer.js';
import { issueAccessCode } from '../accounts/issue-access-code.js';
import { getResellerView, type ResellerView } from './list-resellers.js';
import { generateReferralCode } from './referral-code.js';

export type CreateResellerOptions = {
  db: DbOrTx;
  adminUserId: string;
  email: string;
  commissionBps: number;
  /** Already validated against the referral-code pattern; generated when absent. */
  referralCode?: string | undefined;
};

export type CreateResellerResult = { reseller: ResellerView; accessCode: string };

// Serialises reseller creation so the case-insensitive uniqueness check cannot race
// (the column's unique index is case-sensitive).
const REFERRAL_CODE_LOCK = 4242_0101;

/**
 * An admin makes a reseller: a new user with role 'reseller', their referral code and
 * commission rate, and an access code returned once in plain text.
 */
export async function createReseller({ db, adminUserId, email, commissionBps, referralCode }: CreateResellerOptions): Promise<CreateResellerResult> {
  const normalised = normaliseEmail(email);
  const created = await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${REFERRAL_CODE_LOCK})`);
    const code = referralCode ?? (await freshCode(tx));
    if (referralCode && (await codeTaken(tx, referralCode))) {
      throw new AppError('conflict', `The referral code "${referralCode}" is already taken`);
    }
    const [user] = await tx
      .insert(users)
      .values({ email: normalised, role: 'reseller' })
      .onConflictDoNothing({ target: users.email })
      .returning({ id: users.id });
    if (!user) {
      const [existing] = await tx.select({ role: users.role }).from(users).where(eq(users.email, normalised));
      throw new AppError('conflict', `${normalised} already has an account (${existing?.role ?? 'user'}); use another email`);
    }
    const [reseller] = await tx.insert(resellers).values({ userId: user.id, referralCode: code, commissionBps }).returning({ id: resellers.id });
    const accessCode = await issueAccessCode({ tx, userId: user.id });
    await logActivity({
      db: tx,
      actorUserId: adminUserId,
      actorRole: 'admin',
      action: 'reseller.created',
      subjectType: 'reseller',
      subjectId: reseller!.id,
      details: { email: normalised, referralCode: code, commissionBps },
    });
    return { resellerId: reseller!.id, accessCode };
  });
  const reseller = await getResellerView({ db, resellerId: created.resellerId });
  return { reseller: reseller!, accessCode: created.accessCode };
}

async function codeTaken(tx: Tx, code: string): Promise<boolean> {
  const [row] = await tx.select({ id: resellers.id }).from(resellers).where(sql`lower(${resellers.referralCode}) = lower(${code})`).limit(1);
  return !!row;
}

async function freshCode(tx: Tx): Promise<string> {
  for (let i = 0; i < 10; i++) {
    const code = generateReferralCode();
    if (!(await codeTaken(tx, code))) return code;
  }
  throw new Error('could not generate a free referral code');
}

import { eq } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { users } from '../../db/schema.js';
import { AppError } from '../../lib/errors.js';
import type { Role } from './tokens.js';

export type CurrentUser = {
  id: string;
  role: Role;
  email: string | null;
  accessCodeIssuedAt: Date | null;
  sessionVersion: number;
  checkoutSessionVersion: number;
};

export type GetCurrentUserOptions = { db: DbOrTx; userId: string };

/** The logged-in user as stored now: a session outlives neither deletion nor a ban. */
export async function getCurrentUser({ db, userId }: GetCurrentUserOptions): Promise<CurrentUser> {
  const [user] = await db
    .select({
      id: users.id,
      role: users.role,
      email: users.email,
      banned: users.banned,
      accessCodeIssuedAt: users.accessCodeIssuedAt,
      sessionVersion: users.sessionVersion,
      checkoutSessionVersion: users.checkoutSessionVersion,
    })
    .from(users)
    .where(eq(users.id, userId))
    .limit(1);
  if (!user) throw new AppError('unauthorized', 'Log in to continue');
  if (user.banned) throw new AppError('forbidden', 'This account has been suspended');
  return {
    id: user.id,
    role: user.role,
    email: user.email,
    accessCodeIssuedAt: user.accessCodeIssuedAt,
    sessionVersion: user.sessionVersion,
    checkoutSessionVersion: user.checkoutSessionVersion,
  };
}

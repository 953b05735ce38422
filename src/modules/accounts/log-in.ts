import { eq } from 'drizzle-orm';
import { users } from '../../db/schema.js';
import { AppError } from '../../lib/errors.js';
import type { AppContext } from '../../platform/app-context.js';
import { hashAccessCode } from './issue-access-code.js';
import type { LoginThrottle } from './login-throttle.js';
import { type Role, signSessionToken } from './tokens.js';

export type LogInOptions = {
  ctx: AppContext;
  accessCode: string;
  throttle: LoginThrottle;
  /** Who is trying (the client IP): failures are counted per client and per account (code prefix). */
  clientKey: string;
};

export type LogInResult = { token: string; user: { id: string; role: Role } };

/** Exchanges an access code (as typed or pasted) for a session token. */
export async function logIn({ ctx, accessCode, throttle, clientKey }: LogInOptions): Promise<LogInResult> {
  // Counted before the lookup: a locked-out client learns nothing, not even a right guess.
  await throttle.countAttempt({ clientKey, accessCode });
  const [user] = await ctx.db
    .select({ id: users.id, role: users.role, banned: users.banned, sessionVersion: users.sessionVersion })
    .from(users)
    .where(eq(users.accessCodeHash, hashAccessCode(accessCode)))
    .limit(1);
  if (!user) throw new AppError('unauthorized', 'That access code is not valid');
  await throttle.forgiveAttempt({ clientKey, accessCode });
  if (user.banned) {
    throw new AppError('forbidden', 'This account has been suspended. Contact support if you think this is a mistake.');
  }
  const session = { id: user.id, role: user.role };
  return { token: await signSessionToken({ ...session, sessionVersion: user.sessionVersion }, ctx.config.jwtSecret), user: session };
}

// Who is calling: a JWT from `Authorization: Bearer` or the HttpOnly session cookie.
// Routes declare the roles they accept with `onRequest: requireRole(ctx, 'customer')`: before the body is read or validated, so an anonymous caller gets 401, never a 400 about a body it should not send.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../lib/errors.js';
import { type CurrentUser, type CurrentUserRow, getCurrentUser, toCurrentUser } from '../modules/accounts/get-current-user.js';
import { type Role, SESSION_COOKIE, type Session, type SessionUser, verifySessionToken } from '../modules/accounts/tokens.js';
import type { AppContext } from '../platform/app-context.js';

declare module 'fastify' {
  interface FastifyRequest {
    user?: SessionUser;
  }
}

export async function readSession(ctx: AppContext, req: FastifyRequest): Promise<Session | null> {
  const header = req.headers.authorization;
  const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : req.cookies?.[SESSION_COOKIE];
  if (!token) return null;
  return verifySessionToken(token, ctx.config.jwtSecret);
}

const CLOCK_SLACK_SECONDS = 2;

/** The caller's user after every per-request check (ban, checkout session ended, rotated code, logout); throws `unauthorized`. */
export async function authenticate(ctx: AppContext, req: FastifyRequest): Promise<SessionUser> {
  const session = await readSession(ctx, req);
  if (!session) throw new AppError('unauthorized', 'Log in to continue');
  // The token says who; the database says whether they still may (a ban or a role
  // change takes effect on the next request, not when the token expires).
  return checkSession(session, await getCurrentUser({ db: ctx.db, userId: session.id }));
}

/**
 * `requireRole` and the route's read in one database round trip: `load` fetches the stored
 * user together with what the request asked for, and the answer is released only after the
 * same checks as `authenticate` passed on that user row (read in the same statement, so no
 * staler than a separate query would be). For hot reads such as the dashboard's poll.
 */
export async function authenticateWith<T>(
  ctx: AppContext,
  req: FastifyRequest,
  roles: Role[],
  load: (userId: string) => Promise<{ user: CurrentUserRow | undefined; value: T }>,
): Promise<T> {
  const session = await readSession(ctx, req);
  if (!session) throw new AppError('unauthorized', 'Log in to continue');
  const { user, value } = await load(session.id);
  req.user = checkRole(checkSession(session, toCurrentUser(user)), roles);
  return value;
}

function checkSession(session: Session, user: CurrentUser): SessionUser {
  // First, as the more precise answer: when the paid order also rotated the access code, the
  // check below would end this session too, with a message that leaves the payer guessing.
  if (session.checkoutVersion !== null && session.checkoutVersion < user.checkoutSessionVersion) {
    throw new AppError(
      'unauthorized',
      'This checkout session has ended because another order for this email was paid: log in with the access code from the email',
    );
  }
  // A new access code (an admin rotating a leaked one) ends every session made before it.
  // A little slack: the code may be issued on a worker whose clock runs ahead of this one's.
  if (user.accessCodeIssuedAt && session.issuedAt < Math.floor(user.accessCodeIssuedAt.getTime() / 1000) - CLOCK_SLACK_SECONDS) {
    throw new AppError('unauthorized', 'Your access code was changed: log in with the new one');
  }
  // Logging out bumps the stored version: every token issued before it ends here.
  if (session.sessionVersion !== user.sessionVersion) throw new AppError('unauthorized', 'You were logged out: log in again');
  return { id: user.id, role: user.role };
}

function checkRole(user: SessionUser, roles: Role[]): SessionUser {
  if (!roles.includes(user.role)) throw new AppError('forbidden', 'You do not have access to this');
  return user;
}

/** For routes open to everyone that show more to a logged-in owner: the user, or null. */
export async function optionalUser(ctx: AppContext, req: FastifyRequest): Promise<SessionUser | null> {
  if (!req.headers.authorization && !req.cookies?.[SESSION_COOKIE]) return null;
  try {
    return await authenticate(ctx, req);
  } catch (err) {
    if (err instanceof AppError && (err.code === 'unauthorized' || err.code === 'forbidden')) return null;
    throw err;
  }
}

export function requireRole(ctx: AppContext, ...roles: Role[]) {
  return async (req: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    req.user = checkRole(await authenticate(ctx, req), roles);
  };
}

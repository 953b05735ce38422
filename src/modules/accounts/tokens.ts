// Session tokens: HS256 JWTs signed with JWT_SECRET, carrying the user id, role and the user's
// session version (`sv`): a token whose version is not the stored one has been logged out. A session
// opened with a checkout secret also carries the user's checkout-session version (`cv`): another
// paid order for the email moves it on, and ends every such session (whoever paid for someone
// else's inbox must not keep watching the account).
import { jwtVerify, SignJWT } from 'jose';

export type Role = 'customer' | 'reseller' | 'admin';
export type SessionUser = { id: string; role: Role };
/** A verified token: who, when it was issued (seconds since the epoch), and its session version. */
export type Session = SessionUser & {
  issuedAt: number;
  sessionVersion: number;
  /** `users.checkout_session_version` when the session was opened with a checkout secret; null for a log-in. */
  checkoutVersion: number | null;
};

export const SESSION_COOKIE = 'hqadz_session';
export const SESSION_TTL_SECONDS = 7 * 24 * 3600;

const key = (secret: string) => new TextEncoder().encode(secret);

export type SignSessionUser = SessionUser & {
  /** The user's current `users.session_version` (0 until they first log out). */
  sessionVersion?: number;
  /** Only for a session opened with a checkout secret: the user's current `users.checkout_session_version`. */
  checkoutVersion?: number;
};

export async function signSessionToken(user: SignSessionUser, secret: string): Promise<string> {
  const claims = { role: user.role, sv: user.sessionVersion ?? 0, ...(user.checkoutVersion !== undefined ? { cv: user.checkoutVersion } : {}) };
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(user.id)
    .setIssuedAt()
    .setExpirationTime(`${SESSION_TTL_SECONDS}s`)
    .sign(key(secret));
}

export async function verifySessionToken(token: string, secret: string): Promise<Session | null> {
  try {
    const { payload } = await jwtVerify(token, key(secret), { algorithms: ['HS256'] });
    const role = payload.role;
    if (!payload.sub || (role !== 'customer' && role !== 'reseller' && role !== 'admin')) return null;
    // Tokens from before session versions carry none: version 0, ended by the first logout.
    const sv = payload.sv ?? 0;
    if (typeof sv !== 'number' || !Number.isInteger(sv)) return null;
    const cv = payload.cv ?? null;
    if (cv !== null && (typeof cv !== 'number' || !Number.isInteger(cv))) return null;
    return { id: payload.sub, role, issuedAt: payload.iat ?? 0, sessionVersion: sv, checkoutVersion: cv };
  } catch {
    return null;
  }
}

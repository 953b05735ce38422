// Session tokens: HS256 JWTs signed with JWT_SECRET, carrying the user id, role and the user's
// session version (`sv`): a token whose version is not the stored one has been logged out.
import { jwtVerify, SignJWT } from 'jose';

export type Role = 'customer' | 'reseller' | 'admin';
export type SessionUser = { id: string; role: Role };
/** A verified token: who, when it was issued (seconds since the epoch), and its session version. */
export type Session = SessionUser & { issuedAt: number; sessionVersion: number };

export const SESSION_COOKIE = 'hqadz_session';
export const SESSION_TTL_SECONDS = 7 * 24 * 3600;

const key = (secret: string) => new TextEncoder().encode(secret);

/** `sessionVersion` is the user's current `users.session_version` (0 until they first log out). */
export async function signSessionToken(user: SessionUser & { sessionVersion?: number }, secret: string): Promise<string> {
  return new SignJWT({ role: user.role, sv: user.sessionVersion ?? 0 })
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
    return { id: payload.sub, role, issuedAt: payload.iat ?? 0, sessionVersion: sv };
  } catch {
    return null;
  }
}

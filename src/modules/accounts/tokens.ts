// Session tokens: HS256 JWTs signed with JWT_SECRET, carrying the user id and role.
import { jwtVerify, SignJWT } from 'jose';

export type Role = 'customer' | 'reseller' | 'admin';
export type SessionUser = { id: string; role: Role };
/** A verified token: who, and when it was issued (seconds since the epoch). */
export type Session = SessionUser & { issuedAt: number };

export const SESSION_COOKIE = 'hqadz_session';
export const SESSION_TTL_SECONDS = 7 * 24 * 3600;

const key = (secret: string) => new TextEncoder().encode(secret);

export async function signSessionToken(user: SessionUser, secret: string): Promise<string> {
  return new SignJWT({ role: user.role })
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
    return { id: payload.sub, role, issuedAt: payload.iat ?? 0 };
  } catch {
    return null;
  }
}

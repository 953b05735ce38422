// Session tokens: HS256 JWTs signed with JWT_SECRET, carrying the user id, role and the user's
// session version (`sv`): a token whose version is not the stored one has been logged out. A session
// opened with a checkout secret also carries the user's checkout-session version (`cv`): another
// paid order for the email moves it on, and ends every such session (whoever paid for someone
// else's inbox must not keep watching the account).
import { createHmac, timingSafeEqual } from 'node:crypto';
import { SignJWT } from 'jose';

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

/**
 * Checks a token's HS256 signature and expiry with node:crypto directly: jose's WebCrypto
 * path costs more than the rest of an authenticated read's CPU in Node (issue 12). The
 * checks are jose's for this token shape: the header must name HS256 and nothing it would
 * refuse to understand (`crit`, `b64`), the signature is compared in constant time
 * against its one canonical encoding, `exp` must be in the future and `nbf` not.
 */
export async function verifySessionToken(token: string, secret: string): Promise<Session | null> {
  const payload = verifiedPayload(token, secret);
  if (!payload) return null;
  const role = payload.role;
  if (typeof payload.sub !== 'string' || !payload.sub || (role !== 'customer' && role !== 'reseller' && role !== 'admin')) return null;
  // Tokens from before session versions carry none: version 0, ended by the first logout.
  const sv = payload.sv ?? 0;
  if (typeof sv !== 'number' || !Number.isInteger(sv)) return null;
  const cv = payload.cv ?? null;
  if (cv !== null && (typeof cv !== 'number' || !Number.isInteger(cv))) return null;
  const iat = payload.iat ?? 0;
  if (typeof iat !== 'number') return null;
  return { id: payload.sub, role, issuedAt: iat, sessionVersion: sv, checkoutVersion: cv };
}

// Tokens whose signature this process has already checked, by the token's exact text: a
// dashboard polls with the same token, and its HMAC and JSON decoding were a tenth of the
// request. Only the signature check is remembered; expiry is checked on every use, and
// revocation is the database's (users.session_version etc., checked per request by the caller).
const VERIFIED_CACHE_SIZE = 10_000;
const verified = new Map<string, { secret: string; payload: Record<string, unknown> }>();

function verifiedPayload(token: string, secret: string): Record<string, unknown> | null {
  const hit = verified.get(token);
  const payload = hit && hit.secret === secret ? hit.payload : checkSignature(token, secret);
  if (!payload) return null;
  const now = Math.floor(Date.now() / 1000);
  if (typeof payload.exp !== 'number' || payload.exp <= now) {
    verified.delete(token);
    return null;
  }
  if (payload.nbf !== undefined && (typeof payload.nbf !== 'number' || payload.nbf > now)) return null;
  if (!hit) {
    // Oldest first out (a Map iterates in insertion order): a bounded memory cost.
    if (verified.size >= VERIFIED_CACHE_SIZE) verified.delete(verified.keys().next().value!);
    verified.set(token, { secret, payload });
  }
  return payload;
}

function checkSignature(token: string, secret: string): Record<string, unknown> | null {
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  const [h, p, sig] = parts as [string, string, string];
  const expected = Buffer.from(createHmac('sha256', secret).update(`${h}.${p}`).digest('base64url'));
  const given = Buffer.from(sig);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  const header = parseJson(h);
  if (header?.alg !== 'HS256' || 'crit' in header || 'b64' in header) return null;
  return parseJson(p);
}

function parseJson(part: string): Record<string, unknown> | null {
  try {
    const v: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

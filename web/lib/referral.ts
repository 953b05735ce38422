// A reseller's `?ref=` code, kept in this browser for 30 days: the visitor who clicks the
// logo or "Log in" before buying stays attributed. The first code wins while it lasts, as
// the server keeps a customer with the reseller who first brought them.
const KEY = 'hqadz.ref';
export const REFERRAL_DAYS = 30;
const CODE = /^[A-Za-z0-9_-]{3,32}$/;

type Stored = { code: string; at: number };

function read(now: number): Stored | null {
  try {
    const v = JSON.parse(localStorage.getItem(KEY) ?? 'null') as Stored | null;
    if (!v || typeof v.code !== 'string' || typeof v.at !== 'number' || !CODE.test(v.code)) return null;
    return now - v.at < REFERRAL_DAYS * 86_400_000 ? v : null;
  } catch {
    return null;
  }
}

/** Remembers `code` unless an earlier one is still current; returns the code that counts. */
export function rememberReferral(code: string | null | undefined, now = Date.now()): string | null {
  const current = read(now);
  if (current) return current.code;
  if (!code || !CODE.test(code)) return null;
  try {
    localStorage.setItem(KEY, JSON.stringify({ code, at: now } satisfies Stored));
  } catch {
    // Storage blocked: the code still travels in links on this visit.
  }
  return code;
}

/** The code this browser was referred with, if within 30 days. */
export function storedReferral(now = Date.now()): string | null {
  return read(now)?.code ?? null;
}

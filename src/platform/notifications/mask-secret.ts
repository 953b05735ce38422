// How a secret (access code, license key, one-time code) appears wherever it is stored for
// people to read: the admin outbox and the emails table. The kind prefix and the last four
// characters stay, so an admin can tell which code a customer quotes (a license key's last
// four are also its stored hint); the rest is never kept readable.

const MASK = '•';
const SHOWN_TAIL = 4;
/** Below this many characters (after the prefix) nothing of the secret is shown. */
const MIN_FOR_TAIL = 12;

/** `HQ-7K2M-…-9QDX-AB` → `HQ-••••-…-•••X-AB`: dashes kept, other characters masked. */
export function maskSecret(secret: string): string {
  const prefix = /^[A-Z]{2,}-/.exec(secret)?.[0] ?? '';
  const rest = secret.slice(prefix.length);
  const tail = rest.length >= MIN_FOR_TAIL ? SHOWN_TAIL : 0;
  return prefix + rest.slice(0, rest.length - tail).replace(/[^-]/g, MASK) + rest.slice(rest.length - tail);
}

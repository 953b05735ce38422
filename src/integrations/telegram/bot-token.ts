// What a sender token looks like, and how it is shown: a real Bot API token or a
// `sandbox:<name>` sender whose deliveries never leave the machine.
import { createHash } from 'node:crypto';

const BOT_TOKEN = /^\d+:[A-Za-z0-9_-]{30,}$/;
const SANDBOX_TOKEN = /^sandbox:([A-Za-z0-9_]{1,64})$/;

export type ParsedBotToken = { kind: 'telegram'; token: string } | { kind: 'sandbox'; token: string; name: string };

/** null when the string is neither a Bot API token nor a sandbox token. */
export function parseBotToken(input: string): ParsedBotToken | null {
  const token = input.trim();
  if (BOT_TOKEN.test(token)) return { kind: 'telegram', token };
  const sandbox = SANDBOX_TOKEN.exec(token);
  if (sandbox) return { kind: 'sandbox', token, name: sandbox[1]! };
  return null;
}

export function isSandboxToken(token: string): boolean {
  return SANDBOX_TOKEN.test(token.trim());
}

/**
 * A stable fake bot id for a sandbox name, in [2^52, 2^53): far above any real Telegram
 * bot id, so a sandbox sender never collides with a real one, and still exact as a JS number.
 */
export function sandboxBotId(name: string): bigint {
  const digest = createHash('sha256').update(name).digest();
  const low52 = digest.readBigUInt64BE(0) & ((1n << 52n) - 1n);
  return (1n << 52n) + low52;
}

/** `1234…wxyz`: enough to recognise a token in a list, never enough to use it. */
export function maskToken(token: string): string {
  const t = token.trim();
  if (t.length <= 12) return `${t.slice(0, 2)}…`;
  return `${t.slice(0, 4)}…${t.slice(-4)}`;
}

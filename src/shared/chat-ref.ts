// What a customer may type as a target chat, reduced to one canonical `ref` so the
// same chat written three ways is one row: '@username' (lower-case) or a numeric id.

export type ChatRef = { ref: string; username: string | null; chatId: bigint | null };

const USERNAME = /^[a-z][a-z0-9_]{3,31}$/i;
const LINK = /^(?:https?:\/\/)?(?:www\.)?(?:t\.me|telegram\.me|telegram\.dog)\/([^?#]+)(?:[?#].*)?$/i;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

export function parseChatRef(input: string): ChatRef | { error: string } {
  const raw = input.trim();
  if (!raw) return { error: 'is empty' };
  if (/^-?\d+$/.test(raw)) {
    const id = BigInt(raw);
    if (id === 0n || id < INT64_MIN || id > INT64_MAX) return { error: `"${raw}" is not a valid chat id` };
    return { ref: id.toString(), username: null, chatId: id };
  }
  if (raw.startsWith('@')) return fromUsername(raw.slice(1), raw);
  const link = LINK.exec(raw);
  if (link) {
    const parts = link[1]!.split('/').filter(Boolean);
    const first = parts[0] ?? '';
    if (first.startsWith('+') || first.toLowerCase() === 'joinchat') {
      return { error: `"${raw}" is an invite link: add your bot to the group and enter its @username or numeric id instead` };
    }
    if (first === 'c' && parts[1] && /^\d+$/.test(parts[1])) {
      const id = BigInt(`-100${parts[1]}`);
      return { ref: id.toString(), username: null, chatId: id };
    }
    if (first === 's' && parts[1]) return fromUsername(parts[1], raw);
    return fromUsername(first, raw);
  }
  return { error: `"${raw}" is not a chat: use @username, a t.me link or a numeric chat id` };
}

function fromUsername(name: string, raw: string): ChatRef | { error: string } {
  if (!USERNAME.test(name)) return { error: `"${raw}" is not a valid Telegram username` };
  const username = name.toLowerCase();
  return { ref: `@${username}`, username, chatId: null };
}

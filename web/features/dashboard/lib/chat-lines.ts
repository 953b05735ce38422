// The same rules as the server's parseChatRef (src/modules/adbots/chat-ref.ts), run as the
// customer types so every bad line shows at once instead of one per save.

const USERNAME = /^[a-z][a-z0-9_]{3,31}$/i;
const LINK = /^(?:https?:\/\/)?(?:www\.)?(?:t\.me|telegram\.me|telegram\.dog)\/([^?#]+)(?:[?#].*)?$/i;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

export type ChatLine = { line: number; value: string };
export type ChatLineError = { line: number; message: string };

/** A chat reference's problem, or null when the server will accept it. */
export function chatRefProblem(input: string): string | null {
  const raw = input.trim();
  if (!raw) return 'is empty';
  if (/^-?\d+$/.test(raw)) {
    const id = BigInt(raw);
    return id === 0n || id < INT64_MIN || id > INT64_MAX ? `"${raw}" is not a valid chat id` : null;
  }
  if (raw.startsWith('@')) return usernameProblem(raw.slice(1), raw);
  const link = LINK.exec(raw);
  if (link) {
    const parts = link[1]!.split('/').filter(Boolean);
    const first = parts[0] ?? '';
    if (first.startsWith('+') || first.toLowerCase() === 'joinchat') {
      return `"${raw}" is an invite link: add your bot to the group and enter its @username or numeric id instead`;
    }
    if (first === 'c' && parts[1] && /^\d+$/.test(parts[1])) return null;
    if (first === 's' && parts[1]) return usernameProblem(parts[1], raw);
    return usernameProblem(first, raw);
  }
  return `"${raw}" is not a chat: use @username, a t.me link or a numeric chat id`;
}

function usernameProblem(name: string, raw: string): string | null {
  return USERNAME.test(name) ? null : `"${raw}" is not a valid Telegram username`;
}

/**
 * The non-empty lines (1-based numbers kept for messages), without repeats, as the list the
 * server receives — so a server error about `chats.N` can be pointed back at its line.
 */
export function splitChatLines(text: string): ChatLine[] {
  const seen = new Set<string>();
  const out: ChatLine[] = [];
  text.split('\n').forEach((raw, i) => {
    for (const part of raw.split(',')) {
      const value = part.trim();
      if (!value || seen.has(value)) continue;
      seen.add(value);
      out.push({ line: i + 1, value });
    }
  });
  return out;
}

export function chatLineErrors(lines: ChatLine[]): ChatLineError[] {
  return lines.flatMap(({ line, value }) => {
    const message = chatRefProblem(value);
    return message ? [{ line, message }] : [];
  });
}

/** "chats.1: …" from the server → "Line 2: …" using the lines that were sent. */
export function explainSaveError(message: string, sent: ChatLine[]): string {
  return message.replace(/^chats\.(\d+):\s*/, (whole, index: string) => {
    const line = sent[Number(index)]?.line;
    return line ? `Line ${line}: ` : whole;
  });
}

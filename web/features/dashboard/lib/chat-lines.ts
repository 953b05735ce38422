// Splitting the chat box into the list the server receives, so that a problem about
// `chats.N` can be pointed back at its line. The rules themselves are src/shared/chat-ref.ts.
import { parseChatRef } from '../../../../src/shared/chat-ref';

export type ChatLine = { line: number; value: string };
export type ChatLineError = { line: number; message: string };

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

/** Every line the server would refuse, with the server's own reason. */
export function chatLineErrors(lines: ChatLine[]): ChatLineError[] {
  return lines.flatMap(({ line, value }) => {
    const parsed = parseChatRef(value);
    return 'error' in parsed ? [{ line, message: parsed.error }] : [];
  });
}

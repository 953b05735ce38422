// Splitting the chat box into the list the server receives, and pointing a problem about
// `chats.N` back at its line. The rules themselves are the server's (src/shared/chat-ref.ts).
import { parseChatRef } from '../../../../src/shared/chat-ref';

export type ChatLine = { line: number; value: string };
export type ChatLineError = { line: number; message: string };

/** A chat reference's problem, or null when the server will accept it. */
export function chatRefProblem(input: string): string | null {
  const parsed = parseChatRef(input);
  return 'error' in parsed ? parsed.error : null;
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

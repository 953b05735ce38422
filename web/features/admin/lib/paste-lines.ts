// The stock API answers with masked tokens (a full token never comes back), so which pasted
// line each refusal belongs to is worked out here, with the server's own masking rule.

/** Same rule as the server's maskToken (src/integrations/telegram/bot-token.ts). */
export function maskToken(token: string): string {
  const t = token.trim();
  if (t.length <= 12) return `${t.slice(0, 2)}…`;
  return `${t.slice(0, 4)}…${t.slice(-4)}`;
}

export type PastedLine = { line: number; text: string };

/** Non-empty lines with their 1-based line numbers in the textarea. */
export function pastedLines(text: string): PastedLine[] {
  return text
    .split('\n')
    .map((raw, i) => ({ line: i + 1, text: raw.trim() }))
    .filter((l) => l.text !== '');
}

export type RejectedLine = { line: number | null; text: string | null; token: string; reason: string };

const DUPLICATE = 'Listed twice';

/** Pairs each refusal with the pasted line it came from (each line used once). */
export function matchRejections(lines: PastedLine[], rejected: { token: string; reason: string }[]): RejectedLine[] {
  const used = new Set<number>();
  return rejected.map((r) => {
    const isDuplicate = r.reason.startsWith(DUPLICATE);
    const match = lines.find(
      (l, i) =>
        !used.has(l.line) &&
        maskToken(l.text) === r.token &&
        // The batch keeps a token's first copy; the refusal is about a later one.
        (!isDuplicate || lines.slice(0, i).some((e) => e.text === l.text)),
    );
    if (!match) return { line: null, text: null, ...r };
    used.add(match.line);
    return { line: match.line, text: match.text, ...r };
  });
}

export type LineOutcome = { line: number; text: string; token: string } & ({ added: true; username: string } | { added: false; reason: string });

/**
 * The server answers one outcome per token in the order sent, and the tokens sent are the
 * pasted lines in order, so outcome i is line i: the results read top to bottom like the paste.
 */
export function lineOutcomes(lines: PastedLine[], outcomes: { token: string; added: boolean; username?: string; reason?: string }[]): LineOutcome[] {
  return outcomes.map((o, i) => {
    const l = lines[i]!;
    return o.added
      ? { line: l.line, text: l.text, token: o.token, added: true, username: o.username ?? '' }
      : { line: l.line, text: l.text, token: o.token, added: false, reason: o.reason ?? 'Refused' };
  });
}

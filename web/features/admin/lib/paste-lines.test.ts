import { describe, expect, it } from 'vitest';
import { lineOutcomes, maskToken, matchRejections, pastedLines } from './paste-lines';

describe('matching stock refusals to pasted lines', () => {
  it('numbers lines as the textarea shows them, skipping blanks', () => {
    expect(pastedLines('a\n\n  b  \n')).toEqual([
      { line: 1, text: 'a' },
      { line: 3, text: 'b' },
    ]);
  });

  it('masks like the server', () => {
    expect(maskToken('not-a-token')).toBe('no…');
    expect(maskToken('123456789:AAbcdefghijklmnop')).toBe('1234…mnop');
  });

  it('gives each refusal its own line, and a duplicate the later copy', () => {
    const lines = pastedLines('sandbox:ok_one\nnot-a-token\n123456789:AAbcdefghijklmnop\n123456789:AAbcdefghijklmnop');
    const got = matchRejections(lines, [
      { token: 'no…', reason: 'Not a bot token' },
      { token: '1234…mnop', reason: 'Listed twice in this batch' },
      { token: '1234…mnop', reason: 'Telegram rejected this token (revoked or wrong)' },
    ]);
    expect(got.map((r) => r.line)).toEqual([2, 4, 3]);
  });

  it('leaves a refusal it cannot place without a line', () => {
    expect(matchRejections(pastedLines('abc'), [{ token: 'zz…', reason: 'x' }])[0]!.line).toBeNull();
  });

  it('keeps the server outcomes in paste order, each on its own line number', () => {
    const lines = pastedLines('bad\n\nsandbox:a\nworse');
    const got = lineOutcomes(lines, [
      { token: 'ba…', added: false, reason: 'Not a bot token' },
      { token: 'sand…ox:a', added: true, username: 'a' },
      { token: 'wo…', added: false, reason: 'Not a bot token' },
    ]);
    expect(got.map((o) => [o.line, o.added])).toEqual([
      [1, false],
      [3, true],
      [4, false],
    ]);
    expect(got[1]).toMatchObject({ username: 'a', text: 'sandbox:a' });
  });
});

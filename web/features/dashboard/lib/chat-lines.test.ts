import { describe, expect, it } from 'vitest';
import { chatLineErrors, splitChatLines } from './chat-lines';

describe('chat lines', () => {
  it('keeps each distinct chat once with its 1-based line, commas splitting a line', () => {
    expect(splitChatLines('@good_group\n\n@ab, @other_group\n@good_group\n')).toEqual([
      { line: 1, value: '@good_group' },
      { line: 3, value: '@ab' },
      { line: 3, value: '@other_group' },
    ]);
  });

  it('names every bad line with the reason the server gives', () => {
    const lines = splitChatLines('@good_group\n\n@ab\n@good_group\nhttps://t.me/+x');
    expect(chatLineErrors(lines)).toEqual([
      { line: 3, message: '"@ab" is not a valid Telegram username' },
      { line: 5, message: expect.stringMatching(/is an invite link/) },
    ]);
  });
});

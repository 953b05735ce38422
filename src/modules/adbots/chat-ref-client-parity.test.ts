// The dashboard validates chat lines as the customer types; it must agree with the server
// exactly, or a line shown as fine is refused on save (or the other way round).
import { describe, expect, it } from 'vitest';
import { chatLineErrors, chatRefProblem, explainSaveError, splitChatLines } from '../../../web/features/dashboard/lib/chat-lines.js';
import { parseChatRef } from '../../shared/chat-ref.js';

const samples = [
  '@hqadz_group',
  '@ab',
  '@abcd',
  '@a2345678901234567890123456789012',
  '@a23456789012345678901234567890123',
  '@1group',
  '@bad-name',
  'https://t.me/hqadz_group',
  't.me/hqadz_group/123',
  'https://t.me/+AbCdEf',
  'https://t.me/joinchat/AbCd',
  'https://t.me/c/12345/6',
  'https://t.me/s/hqadz_group',
  'telegram.me/hqadz_group?x=1',
  'https://example.com/group',
  '-1001234567890',
  '12345',
  '0',
  '99999999999999999999',
  'not a chat',
  '',
];

describe('client chat-line rules match the server', () => {
  it.each(samples)('%s', (input) => {
    const server = parseChatRef(input);
    expect(chatRefProblem(input)).toBe('error' in server ? server.error : null);
  });

  it('lists every bad line with its 1-based number and maps server errors back to lines', () => {
    const lines = splitChatLines('@good_group\n\n@ab\n@good_group\nhttps://t.me/+x');
    expect(chatLineErrors(lines).map((e) => e.line)).toEqual([3, 5]);
    expect(explainSaveError('chats.1: "@ab" is not a valid Telegram username', lines)).toBe('Line 3: "@ab" is not a valid Telegram username');
    expect(explainSaveError('post.text: is too long', lines)).toBe('post.text: is too long');
  });
});

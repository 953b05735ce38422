import { describe, expect, it } from 'vitest';
import { nulPaths } from './nul-text.js';

describe('nulPaths', () => {
  it('names every string holding a NUL by its path, array indexes as numbers', () => {
    const body = { post: { text: 'a\u0000b', buttons: [{ text: 'ok', url: 'https://x/\u0000' }] }, chats: ['@a', '\u0000'] };
    expect(nulPaths(body)).toEqual([
      ['post', 'text'],
      ['post', 'buttons', 0, 'url'],
      ['chats', 1],
    ]);
  });
  it('finds nothing in clean input, numbers and nulls', () => {
    expect(nulPaths({ a: 'x', b: 1, c: null, d: [true] })).toEqual([]);
    expect(nulPaths('\u0000')).toEqual([[]]);
  });
});

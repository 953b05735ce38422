import { describe, expect, it } from 'vitest';
import { botPostSchema } from './bot-config-schema.js';

const parseLink = (link: string) => botPostSchema.safeParse({ type: 'link', link });

describe('channel post links', () => {
  it('accepts public and private links within Telegram limits', () => {
    expect(parseLink('https://t.me/hqadz/123').data).toEqual({ type: 'link', link: 'https://t.me/hqadz/123', fromChat: '@hqadz', messageId: 123 });
    expect(parseLink('t.me/c/1234567890123/2147483647').data).toMatchObject({ fromChat: '-1001234567890123', messageId: 2147483647 });
    expect(parseLink(`https://t.me/${'a'.repeat(32)}/1`).success).toBe(true);
  });

  it.each([
    ['a 14-digit private channel id', 'https://t.me/c/12345678901234/5'],
    ['an 11-digit message id', 'https://t.me/hqadz/12345678901'],
    ['a message id above 2^31-1', 'https://t.me/hqadz/2147483648'],
    ['a huge message id', `https://t.me/hqadz/${'9'.repeat(40)}`],
    ['a huge channel id', `https://t.me/c/${'9'.repeat(40)}/1`],
    ['message id 0', 'https://t.me/hqadz/0'],
    ['a 4-character username', 'https://t.me/abcd/1'],
    ['a 33-character username', `https://t.me/${'a'.repeat(33)}/1`],
  ])('refuses %s', (_label, link) => {
    const r = parseLink(link);
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]!.path).toEqual(['link']);
  });
});

import { describe, expect, it } from 'vitest';
import { botPostSchema, telegramTextLength } from './bot-config-schema.js';

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

describe('ad text length (Telegram: 4096 for a message, 1024 for a photo caption)', () => {
  const parseText = (text: string, imageUrl?: string) => botPostSchema.safeParse({ type: 'text', text, ...(imageUrl ? { imageUrl } : {}) });

  it('counts what Telegram counts: UTF-16 code units after HTML parsing', () => {
    expect(telegramTextLength('<b>ab</b>&amp;c')).toBe(4);
    expect(telegramTextLength('😀')).toBe(2);
    expect(telegramTextLength('&#128512;&#x41;')).toBe(3);
    expect(telegramTextLength('&nbsp;')).toBe(6);
  });

  it('accepts exactly the limit, markup not counted', () => {
    expect(parseText('a'.repeat(4096)).success).toBe(true);
    expect(parseText(`<b>${'a'.repeat(4090)}</b>`).success).toBe(true);
    expect(parseText('a'.repeat(1024), 'https://example.com/a.png').success).toBe(true);
  });

  it.each([
    ['4097 plain characters', 'a'.repeat(4097), undefined],
    ['2049 emoji (4098 UTF-16 units, which Telegram counts)', '😀'.repeat(2049), undefined],
    ['3000 emoji written as numeric entities', '&#128512;'.repeat(3000), undefined],
    ['a 1025-character caption', 'a'.repeat(1025), 'https://example.com/a.png'],
    ['a caption of 513 emoji', '😀'.repeat(513), 'https://example.com/a.png'],
  ])('refuses %s', (_label, text, imageUrl) => {
    const r = parseText(text, imageUrl);
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]!.path).toEqual(['text']);
  });
});

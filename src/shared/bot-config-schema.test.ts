import { describe, expect, it } from 'vitest';
import { adTextLength, botPostSchema, telegramTextLength } from './bot-config-schema.js';

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

// The ad form's counter is adTextLength itself; these pin what it counts, so a change to the
// rule is a visible decision.
describe('the counter the ad form shows', () => {
  it.each([
    ['plain text', 10],
    ['😀', 2],
    ['👨‍👩‍👧‍👦 family', 18],
    ['e\u0301 vs \u00e9', 7],
    ['<b>bold</b> and <i>italic</i>', 15],
    ['<b>bold <i>nested <u>deep</u></i></b>', 16],
    ['<a href="https://example.com/?a=1&amp;b=2">shop</a>', 4],
    ['<tg-spoiler>secret</tg-spoiler> <tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>', 9],
    ['&lt;b&gt; is a tag &amp; &quot;quoted&quot;', 23],
    ['&LT;&Amp;', 2],
    ['&#128512;&#x1F600;&#65;', 5],
    ['&#x110000; &#99999999999;', 25],
    ['&nbsp;&copy;', 12],
    ['a < b', 5],
    ['<pre><code class="language-js">x &lt; 1</code></pre>', 5],
    ['line one\nline two', 17],
  ] as const)('%j counts %i', (input, expected) => {
    expect(adTextLength(input, false)).toEqual({ length: expected, limit: 4096 });
  });

  it('counts the trimmed text against 1024 under an image, as the save does', () => {
    expect(adTextLength(`  ${'x'.repeat(4096)}\n\n`, false)).toEqual({ length: 4096, limit: 4096 });
    expect(adTextLength(`<b>${'&amp;'.repeat(1025)}</b>`, true)).toEqual({ length: 1025, limit: 1024 });
    expect(botPostSchema.safeParse({ type: 'text', text: `<b>${'&amp;'.repeat(1024)}</b>`, imageUrl: 'https://example.com/a.jpg' }).success).toBe(true);
    expect(botPostSchema.safeParse({ type: 'text', text: `<b>${'&amp;'.repeat(1025)}</b>`, imageUrl: 'https://example.com/a.jpg' }).success).toBe(false);
  });
});

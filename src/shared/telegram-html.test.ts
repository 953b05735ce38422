import { describe, expect, it } from 'vitest';
import { checkTelegramHtml, linkTargetProblem } from './telegram-html.js';

describe('checkTelegramHtml links', () => {
  it('accepts http(s) links with a host and tg:// links', () => {
    expect(checkTelegramHtml('<a href="https://example.com/x?a=1&amp;b=2">l</a>')).toBeNull();
    expect(checkTelegramHtml("<a href='http://shop.example.org'>l</a>")).toBeNull();
    expect(checkTelegramHtml('<a href=https://t.me/hqadz>l</a>')).toBeNull();
    expect(checkTelegramHtml('<a href="tg://user?id=123">l</a>')).toBeNull();
  });

  it('refuses the editor placeholder and links without a host', () => {
    expect(checkTelegramHtml('<a href="https://">link text</a>')).toMatch(/valid web address/);
    expect(checkTelegramHtml('<a href="https://nodot">x</a>')).toMatch(/valid web address/);
    expect(checkTelegramHtml('<a href="">x</a>')).toMatch(/must start with https:\/\//);
  });

  it('refuses javascript:, data: and relative links, however they are written', () => {
    for (const href of ['javascript:alert(1)', ' JavaScript:alert(1)', '&#106;avascript:alert(1)', 'data:text/html,x', '/path', 'example.com']) {
      expect(checkTelegramHtml(`<a href="${href}">x</a>`), href).toMatch(/must start with https:\/\/, http:\/\/ or tg:\/\//);
    }
  });

  it('still refuses an <a> without href', () => {
    expect(checkTelegramHtml('<a name="x">x</a>')).toBe('has an <a> tag without href');
  });
});

describe('checkTelegramHtml character references', () => {
  it.each([
    ['&#99999999;', '<a href="https://x.com/&#99999999;">x</a>'],
    ['&#x110000;', '<a href="https://x.com/&#x110000;">x</a>'],
    ['&#xD800;', '<a href="https://x.com/&#xD800;">x</a>'],
    ['&#0;', 'nul &#0; in the text'],
    ['&#x110000;', 'in the text &#x110000; too'],
    ['&#99999999', 'without the semicolon &#99999999 as well'],
  ])('refuses %s, naming it, instead of throwing', (ref, text) => {
    expect(checkTelegramHtml(text)).toBe(`has "${ref}", which is not a valid character code: remove it, or write &amp;${ref.slice(1)} to show it as typed`);
  });

  it('shortens an absurdly long reference in the message', () => {
    const problem = checkTelegramHtml(`<a href="https://x.com/&#${'9'.repeat(400)};">x</a>`)!;
    expect(problem).toMatch(/^has "&#9{10}…", which is not a valid character code/);
    expect(problem.length).toBeLessThan(120);
  });

  it('still decodes valid references in links, as Telegram does', () => {
    expect(checkTelegramHtml('&#128512; &#x1F600; &#65 <a href="&#104;ttps://example.com/?q=&#x10FFFF;">x</a>')).toBeNull();
    expect(checkTelegramHtml('<a href="&#106;avascript:alert(1)">x</a>')).toMatch(/must start with https:\/\//);
    // Telegram decodes only &lt; &gt; &amp; &quot; by name: &colon; stays as typed.
    expect(checkTelegramHtml('<a href="https&colon;//example.com">x</a>')).toMatch(/must start with https:\/\//);
  });
});

describe('checkTelegramHtml link attributes', () => {
  it('reads href only from an attribute named href, and checks every one', () => {
    expect(checkTelegramHtml('<a data-href="https://ok.example" href="javascript:alert(1)">x</a>')).toMatch(/must start with https:\/\//);
    expect(checkTelegramHtml('<a data-href="https://ok.example">x</a>')).toBe('has an <a> tag without href');
    expect(checkTelegramHtml('<a href="https://ok.example" href="javascript:alert(1)">x</a>')).toMatch(/must start with https:\/\//);
    expect(checkTelegramHtml('<a HREF = "https://ok.example">x</a>')).toBeNull();
  });

  it('answers a tag left open after many attributes (no exponential backtracking)', () => {
    // The old pattern read `x="a"` both as quoted and as unquoted: 2^26 paths took seconds, so
    // 2^48 would run for days and this test would hit its timeout. No clock is read here.
    const text = `<b${' x="a"'.repeat(48)}`;
    expect(checkTelegramHtml(text)).toBe('has a "<" that does not start a tag: write &lt;');
  });
});

describe('linkTargetProblem (the ad form asks it before writing a link)', () => {
  it.each([
    ['https://example.com', null],
    ['http://shop.example.co.uk/x?y=1', null],
    ['tg://resolve?domain=hqadz', null],
    ['http://localhost:3000', null],
    ['ftp://example.com', 'scheme'],
    ['javascript:alert(1)', 'scheme'],
    ['example.com', 'scheme'],
    ['https://example', 'host'],
    ['https://.example.com', 'host'],
    ['https://example..com', 'host'],
    ['https://', 'host'],
  ] as const)('%s → %s', (href, problem) => {
    expect(linkTargetProblem(href)).toBe(problem);
  });
});

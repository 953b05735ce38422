import { describe, expect, it } from 'vitest';
import { checkTelegramHtml } from './telegram-html.js';

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

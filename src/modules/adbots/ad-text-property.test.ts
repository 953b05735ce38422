// Whatever a customer types, saving the ad answers with a verdict: valid, or a message. A
// throw from inside validation (a RangeError from a bad character reference, say) would be
// a 500 on PUT /api/user/bot, which the contract forbids for any input.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import { putBotSchema, telegramTextLength } from '../../shared/bot-config-schema.js';
import { checkTelegramHtml } from '../../shared/telegram-html.js';

const digits = (max: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), maxLength: max });
const hex = (max: number) => fc.string({ unit: fc.constantFrom(...'0123456789abcdefABCDEF'), maxLength: max });

const fragment = fc.oneof(
  fc.string({ maxLength: 6 }),
  fc.string({ unit: 'binary', maxLength: 4 }),
  fc.constantFrom('<', '>', '&', ';', '"', "'", '=', ' ', '\n', '\u0000', '\ud800', '\udfff', '😀'),
  digits(25).map((d) => `&#${d};`),
  hex(12).map((h) => `&#x${h};`),
  digits(12).map((d) => `&#${d}`),
  fc.constantFrom('&amp;', '&lt;', '&gt;', '&quot;', '&nbsp;', '&colon;', '&AMP;', '&#', '&#x', '&#;'),
  fc
    .constantFrom('b', 'i', 'a', 'tg-spoiler', 'pre', 'code', 'script', 'span')
    .chain((tag) => fc.constantFrom(`<${tag}>`, `</${tag}>`, `<${tag} `, `<${tag} x="a"`, `<${tag} x='a' y=b>`)),
  fc
    .tuple(
      fc.constantFrom('https://', 'http://', 'tg://', 'javascript:', '', 'https:// ', 'HTTPS://'),
      fc.oneof(
        fc.webUrl(),
        fc.string({ maxLength: 12 }),
        digits(20).map((d) => `x.com/&#${d};`),
        hex(8).map((h) => `&#x${h};.com`),
      ),
      fc.constantFrom('"', "'", ''),
      fc.constantFrom('href', 'HREF', 'data-href', 'href '),
    )
    .map(([scheme, rest, q, attr]) => `<a ${attr}=${q}${scheme}${rest}${q}>`),
);

const adText = fc.array(fragment, { maxLength: 25 }).map((parts) => parts.join(''));

describe('ad text validation never throws', () => {
  it('checkTelegramHtml and the length count return for any mix of text, tags, entities and links', () => {
    fc.assert(
      fc.property(adText, (text) => {
        const problem = checkTelegramHtml(text);
        expect(problem === null || typeof problem === 'string').toBe(true);
        expect(Number.isInteger(telegramTextLength(text))).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('the PUT /api/user/bot body schema gives a result, never a stray exception', () => {
    const body = fc.oneof(
      adText.map((text) => ({ post: { type: 'text', text } })),
      fc.record({ post: fc.record({ type: fc.constant('text'), text: adText, imageUrl: fc.oneof(fc.webUrl(), fc.string()) }) }),
      fc.record({ post: fc.record({ type: fc.constant('link'), link: fc.oneof(adText, fc.webUrl()) }) }),
      fc.record({ chats: fc.array(fc.oneof(adText, fc.string()), { maxLength: 5 }) }),
      fc.anything(),
    );
    fc.assert(
      fc.property(body, (input) => {
        try {
          putBotSchema.safeParse(input);
        } catch (err) {
          expect.unreachable(`threw ${err instanceof ZodError ? 'ZodError' : String(err)}`);
        }
      }),
      { numRuns: 1000 },
    );
  });
});

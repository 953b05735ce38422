// Telegram's HTML parse mode accepts a handful of tags and rejects the whole message on
// anything else, so the ad is checked when saved rather than failing at every post.
import { decodeXML } from 'entities';

const ALLOWED = new Set(['b', 'strong', 'i', 'em', 'u', 'ins', 's', 'strike', 'del', 'span', 'tg-spoiler', 'a', 'code', 'pre', 'blockquote', 'tg-emoji']);
// Every way through an attribute is unique: an unquoted value cannot start with a quote, so a
// quoted one is never also read as unquoted. With that ambiguity a tag left open after n
// attributes (`<b x="a" x="a" …`) cost 2^n steps: 28 of them held the process for seconds.
const ATTR = String.raw`\s+[a-zA-Z-]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>"'][^\s>]*))?`;
const TAG = new RegExp(String.raw`<(\/?)([a-zA-Z][a-zA-Z0-9-]*)((?:${ATTR})*)\s*>`, 'y');
const ATTRS = /\s+([a-zA-Z-]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"'][^\s>]*)))?/g;
// A numeric character reference, with or without the `;` (HTML and Telegram accept both).
const NUMERIC_REF = /&#(?:[xX]([0-9a-fA-F]+)|([0-9]+));?/g;

/** Returns why the text is not valid Telegram HTML, or null. */
export function checkTelegramHtml(text: string): string | null {
  const badRef = findInvalidCharacterReference(text);
  if (badRef) return badRef;
  const open: string[] = [];
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '>') return 'has a ">" outside a tag: write &gt;';
    if (ch !== '<') continue;
    TAG.lastIndex = i;
    const m = TAG.exec(text);
    if (!m) return 'has a "<" that does not start a tag: write &lt;';
    const [, closing, rawName, attrs] = m;
    const name = rawName!.toLowerCase();
    if (!ALLOWED.has(name)) return `uses <${name}>, which Telegram does not support`;
    if (closing) {
      if (open.pop() !== name) return `closes </${name}> without a matching <${name}>`;
    } else {
      if (name === 'a') {
        const problem = checkLinkAttributes(attrs ?? '');
        if (problem) return problem;
      }
      open.push(name);
    }
    i = TAG.lastIndex - 1;
  }
  if (open.length) return `leaves <${open.at(-1)}> unclosed`;
  return null;
}

/**
 * A reference to a code point that does not exist (above U+10FFFF, a lone surrogate half, or
 * zero) names no character: a decoder silently turns it into U+FFFD and Telegram shows it as
 * typed, neither of which is what the customer meant, so it is refused with the fix.
 */
function findInvalidCharacterReference(text: string): string | null {
  for (const m of text.matchAll(NUMERIC_REF)) {
    const n = m[1] !== undefined ? Number.parseInt(m[1], 16) : Number(m[2]);
    if (n >= 1 && n <= 0x10ffff && !(n >= 0xd800 && n <= 0xdfff)) continue;
    const shown = m[0].length > 16 ? `${m[0].slice(0, 12)}…` : m[0];
    return `has "${shown}", which is not a valid character code: remove it, or write &amp;${shown.slice(1)} to show it as typed`;
  }
  return null;
}

// Telegram refuses the whole message for a link without a real host, and a javascript: or
// data: link is never something we want to post on a customer's behalf. Every href is
// checked (readers disagree on which of two wins), and only an attribute named exactly href.
// Its value is decoded as Telegram decodes it: numeric references and the XML named ones
// (Telegram knows &lt; &gt; &amp; &quot; only; &nbsp; and the like stay as typed).
function checkLinkAttributes(attrs: string): string | null {
  let hrefs = 0;
  for (const m of attrs.matchAll(ATTRS)) {
    if (m[1]!.toLowerCase() !== 'href') continue;
    hrefs++;
    const problem = checkHref(decodeXML((m[2] ?? m[3] ?? m[4] ?? '').trim()).trim());
    if (problem) return problem;
  }
  return hrefs === 0 ? 'has an <a> tag without href' : null;
}

function checkHref(href: string): string | null {
  const problem = linkTargetProblem(href);
  if (problem === 'host') return `has a link "${href}" without a valid web address: use e.g. https://example.com`;
  if (problem === 'scheme') return `has a link "${href}": links must start with https://, http:// or tg://`;
  return null;
}

/**
 * Why Telegram would refuse a link target, or null: `scheme` when it is not https://, http://
 * or tg://, `host` when a web address has no real host. The ad form's link tool asks the same
 * question before it writes the `<a href>`, and words the answer its own way.
 */
export function linkTargetProblem(href: string): 'scheme' | 'host' | null {
  if (/^tg:\/\/[a-z]/i.test(href)) return null;
  if (!/^https?:\/\//i.test(href)) return 'scheme';
  try {
    const { hostname } = new URL(href);
    if ((hostname.includes('.') || hostname === 'localhost') && !/^\.|\.$|\.\./.test(hostname)) return null;
  } catch {
    // not a URL at all: no host
  }
  return 'host';
}

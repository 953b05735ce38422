// Telegram's HTML parse mode accepts a handful of tags and rejects the whole message on
// anything else, so the ad is checked when saved rather than failing at every post.

const ALLOWED = new Set(['b', 'strong', 'i', 'em', 'u', 'ins', 's', 'strike', 'del', 'span', 'tg-spoiler', 'a', 'code', 'pre', 'blockquote', 'tg-emoji']);
const TAG = /<(\/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[a-zA-Z-]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+))?)*)\s*>/y;

/** Returns why the text is not valid Telegram HTML, or null. */
export function checkTelegramHtml(text: string): string | null {
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
        const problem = checkHref(attrs ?? '');
        if (problem) return problem;
      }
      open.push(name);
    }
    i = TAG.lastIndex - 1;
  }
  if (open.length) return `leaves <${open.at(-1)}> unclosed`;
  return null;
}

const HREF = /\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/i;

// Telegram refuses the whole message for a link without a real host, and a javascript: or
// data: link is never something we want to post on a customer's behalf.
function checkHref(attrs: string): string | null {
  const m = HREF.exec(attrs);
  if (!m) return 'has an <a> tag without href';
  const href = decodeEntities((m[1] ?? m[2] ?? m[3] ?? '').trim());
  if (/^tg:\/\/[a-z]/i.test(href)) return null;
  if (/^https?:\/\//i.test(href)) {
    try {
      const url = new URL(href);
      if (url.hostname.includes('.') || url.hostname === 'localhost') {
        if (!/^\.|\.$|\.\./.test(url.hostname)) return null;
      }
    } catch {
      // falls through to the message below
    }
    return `has a link "${href}" without a valid web address: use e.g. https://example.com`;
  }
  return `has a link "${href}": links must start with https://, http:// or tg://`;
}

function decodeEntities(s: string): string {
  return s
    .replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&#x([0-9a-f]+);/gi, (_, h: string) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&amp;/g, '&');
}

/** The length Telegram counts: the text a reader sees, without tags and with entities decoded. */
export function visibleLength(text: string): number {
  return [...text.replace(/<[^>]*>/g, '').replace(/&(#\d+|#x[0-9a-f]+|[a-z]+);/gi, '_')].length;
}

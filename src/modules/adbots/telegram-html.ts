// Telegram's HTML parse mode accepts a handful of tags and rejects the whole message on
// anything else, so the ad is checked when saved rather than failing at every post.

const ALLOWED = new Set([
  'b', 'strong', 'i', 'em', 'u', 'ins', 's', 'strike', 'del', 'span', 'tg-spoiler', 'a', 'code', 'pre', 'blockquote', 'tg-emoji',
]);
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
      if (name === 'a' && !/\bhref\s*=/.test(attrs ?? '')) return 'has an <a> tag without href';
      open.push(name);
    }
    i = TAG.lastIndex - 1;
  }
  if (open.length) return `leaves <${open.at(-1)}> unclosed`;
  return null;
}

/** The length Telegram counts: the text a reader sees, without tags and with entities decoded. */
export function visibleLength(text: string): number {
  return [...text.replace(/<[^>]*>/g, '').replace(/&(#\d+|#x[0-9a-f]+|[a-z]+);/gi, '_')].length;
}

// A copy of the server's telegramTextLength (src/modules/adbots/bot-config-schema.ts): the
// counter must agree with the save exactly, or a text shown as fitting is refused (or the
// other way round). Kept in step by src/modules/adbots/telegram-text-client-parity.test.ts.

export const TEXT_LIMIT = 4096;
/** With an image the text travels as a caption, which Telegram caps at 1024. */
export const CAPTION_LIMIT = 1024;

/**
 * The length Telegram holds against its limits: the text after HTML parsing, in UTF-16 code
 * units (an emoji outside the BMP is 2). Only &lt; &gt; &amp; &quot; and numeric entities are
 * decoded; any other `&name;` counts as written, as the server counts it.
 */
export function telegramTextLength(html: string): number {
  const text = html
    .replace(/<[^>]*>/g, '')
    .replace(/&(lt|gt|amp|quot);/gi, '_')
    .replace(/&#(x[0-9a-f]+|\d+);/gi, (whole, code: string) => {
      const n = code[0] === 'x' || code[0] === 'X' ? parseInt(code.slice(1), 16) : Number(code);
      return Number.isInteger(n) && n >= 0 && n <= 0x10ffff ? String.fromCodePoint(n) : whole;
    });
  return text.length;
}

/** The count and limit the server applies on save: it trims the text before counting. */
export function adTextLength(text: string, hasImage: boolean): { length: number; limit: number } {
  return { length: telegramTextLength(text.trim()), limit: hasImage ? CAPTION_LIMIT : TEXT_LIMIT };
}

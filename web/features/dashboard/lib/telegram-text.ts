// The counter uses the server's own telegramTextLength (src/shared/bot-config-schema.ts), so a
// text shown as fitting is never refused on save, or the other way round.
import { telegramTextLength } from '../../../../src/shared/bot-config-schema';

export const TEXT_LIMIT = 4096;
/** With an image the text travels as a caption, which Telegram caps at 1024. */
export const CAPTION_LIMIT = 1024;

/** The count and limit the server applies on save: it trims the text before counting. */
export function adTextLength(text: string, hasImage: boolean): { length: number; limit: number } {
  return { length: telegramTextLength(text.trim()), limit: hasImage ? CAPTION_LIMIT : TEXT_LIMIT };
}

// The dashboard's character counter must count exactly as the save does, or a text shown as
// fitting is refused on save (or a fitting one is blocked by the disabled Save button).
import { describe, expect, it } from 'vitest';
import { adTextLength } from '../../../web/features/dashboard/lib/telegram-text.js';
import { botPostSchema, telegramTextLength } from '../../shared/bot-config-schema.js';

const samples: [string, number][] = [
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
  ['line one\nline two\r\n', 19],
];

describe('client character counter matches the server', () => {
  it.each(samples)('%j', (input, expected) => {
    // Pinned so a change to both copies at once is still a visible decision.
    expect(telegramTextLength(input)).toBe(expected);
  });

  it.each([
    ['text at the limit', '😀'.repeat(2048), false],
    ['text one over', `${'😀'.repeat(2048)}a`, false],
    ['caption at the limit', `<b>${'&amp;'.repeat(1024)}</b>`, true],
    ['caption one over', `<b>${'&amp;'.repeat(1025)}</b>`, true],
    ['padded with spaces the server trims', `  ${'x'.repeat(4096)}\n\n`, false],
  ] as const)('the counter blocks Save exactly when the server refuses: %s', (_name, text, withImage) => {
    const { length, limit } = adTextLength(text, withImage);
    const saved = botPostSchema.safeParse({ type: 'text', text, ...(withImage ? { imageUrl: 'https://example.com/a.jpg' } : {}) });
    expect(length <= limit).toBe(saved.success);
  });
});

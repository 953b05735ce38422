import { describe, expect, it } from 'vitest';
import { parseChatRef } from './chat-ref.js';
import { checkTelegramHtml } from './telegram-html.js';

describe('parseChatRef', () => {
  it.each([
    ['@MyGroup', '@mygroup'],
    ['  @my_group  ', '@my_group'],
    ['https://t.me/MyGroup', '@mygroup'],
    ['http://t.me/mygroup/123', '@mygroup'],
    ['t.me/mygroup?start=1', '@mygroup'],
    ['https://telegram.me/mygroup', '@mygroup'],
    ['https://t.me/s/mychannel', '@mychannel'],
    ['-1001234567890', '-1001234567890'],
    ['https://t.me/c/1234567890/5', '-1001234567890'],
  ])('%s → %s', (input, ref) => {
    expect(parseChatRef(input)).toMatchObject({ ref });
  });

  it.each(['', '@ab', '@1abc', 'hello world', 'https://t.me/+AbCd', 'https://t.me/joinchat/AbCd', '0', '99999999999999999999', 'https://example.com/group'])(
    'rejects %j with a reason',
    (input) => {
      expect(parseChatRef(input)).toHaveProperty('error');
    },
  );
});

describe('checkTelegramHtml', () => {
  it('accepts the tags Telegram supports', () => {
    expect(checkTelegramHtml('<b>bold</b> <i>it</i> <a href="https://x.y">l</a> <tg-spoiler>s</tg-spoiler> &lt;3 &amp;')).toBeNull();
    expect(checkTelegramHtml('<pre><code class="language-js">x</code></pre>')).toBeNull();
  });
  it.each(['<script>x</script>', '<b>open', 'a < b', 'a > b', '<b><i>x</b></i>', '<a>no href</a>', '</b>'])('rejects %j', (text) => {
    expect(checkTelegramHtml(text)).toBeTruthy();
  });
});

import { describe, expect, it } from 'vitest';
import { accessFix, postingProblem, problemFromError } from './access-fix.js';
import { readStoredPost } from './deliver-post.js';
import { proofUrl } from './proof-url.js';
import { RateLimitTracker } from './rate-limits.js';
import { SendLimiter } from './send-limiter.js';

describe('proof links', () => {
  it('links public chats by username and private supergroups/channels through t.me/c', () => {
    expect(proofUrl({ chatId: -1001234567890n, username: 'deals' }, 42)).toBe('https://t.me/deals/42');
    expect(proofUrl({ chatId: -1001234567890n, username: null }, 42)).toBe('https://t.me/c/1234567890/42');
    expect(proofUrl({ chatId: null, username: 'deals' }, 1)).toBe('https://t.me/deals/1');
    // Basic groups have no message links.
    expect(proofUrl({ chatId: -4012345n, username: null }, 3)).toBeNull();
    expect(proofUrl({ chatId: null, username: null }, 3)).toBeNull();
  });
});

describe('who may post', () => {
  it('groups need a member not restricted from sending; channels an admin allowed to post', () => {
    expect(postingProblem('supergroup', { status: 'member' })).toBeNull();
    expect(postingProblem('group', { status: 'administrator' })).toBeNull();
    expect(postingProblem('supergroup', { status: 'left' })).toBe('not_member');
    expect(postingProblem('supergroup', { status: 'kicked' })).toBe('kicked');
    expect(postingProblem('supergroup', { status: 'restricted', is_member: true, can_send_messages: false })).toBe('restricted');
    expect(postingProblem('supergroup', { status: 'restricted', is_member: true, can_send_messages: true })).toBeNull();
    expect(postingProblem('supergroup', { status: 'restricted', is_member: false, can_send_messages: true })).toBe('not_member');
    expect(postingProblem('channel', { status: 'member' })).toBe('not_admin');
    expect(postingProblem('channel', { status: 'administrator', can_post_messages: false })).toBe('no_post_right');
    expect(postingProblem('channel', { status: 'administrator', can_post_messages: true })).toBeNull();
    expect(postingProblem('channel', { status: 'creator' })).toBeNull();
    expect(postingProblem('private', { status: 'member' })).toBe('private_chat');
  });

  it('reads the kind of refusal from Telegram descriptions and says how to fix it', () => {
    expect(problemFromError('Forbidden: bot was kicked from the supergroup chat')).toBe('kicked');
    expect(problemFromError('Forbidden: bot is not a member of the supergroup chat')).toBe('not_member');
    expect(problemFromError('Bad Request: not enough rights to send text messages to the chat')).toBe('restricted');
    expect(problemFromError('Forbidden: bot is not an administrator of the channel chat')).toBe('not_admin');
    expect(accessFix('not_member', 'ads_bot', 'supergroup')).toBe('bot is not a member — add @ads_bot to the group, then Re-check');
    expect(accessFix('not_member', 'ads_bot', 'channel')).toContain('to the channel as an admin');
    expect(accessFix('refused', null, 'group')).toContain('your bot');
  });
});

describe('slots and stored posts', () => {
  it('429s pause the bot only when they come from several chats within a minute', () => {
    const t = new RateLimitTracker();
    expect(t.note('bot', 'a', 0)).toBe(false);
    expect(t.note('bot', 'a', 1000)).toBe(false);
    expect(t.note('bot', 'b', 2000)).toBe(false);
    expect(t.note('other', 'c', 2500)).toBe(false);
    expect(t.note('bot', 'c', 3000)).toBe(true);
    // A minute later the old ones no longer count.
    expect(t.note('bot', 'd', 62_500)).toBe(false);
  });

  it('accepts only ads the engine can send', () => {
    expect(readStoredPost({ type: 'text', text: 'hi' })).toMatchObject({ type: 'text' });
    expect(readStoredPost({ type: 'link', link: 'https://t.me/a/1', fromChat: '@a', messageId: 1 })).toMatchObject({ type: 'link' });
    expect(readStoredPost({ type: 'link', link: 'https://t.me/a/1' })).toBeNull();
    expect(readStoredPost({ type: 'text', text: '  ' })).toBeNull();
    expect(readStoredPost(null)).toBeNull();
  });
});

describe('send limiter', () => {
  function fakeTime() {
    let now = 0;
    const waits: number[] = [];
    return {
      waits,
      nowMs: () => now,
      sleep: async (ms: number) => {
        waits.push(ms);
        now += ms;
      },
    };
  }

  it('spaces one bot at 25 messages per second', async () => {
    const time = fakeTime();
    const limiter = new SendLimiter({ nowMs: time.nowMs, sleep: time.sleep });
    for (let i = 0; i < 50; i++) await limiter.acquire('bot', `chat${i}`);
    expect(time.nowMs()).toBeGreaterThanOrEqual(49 * 40);
    expect(time.nowMs()).toBeLessThan(2000);
  });

  it('keeps 3 s between two messages to the same chat, and bots do not slow each other', async () => {
    const time = fakeTime();
    const limiter = new SendLimiter({ nowMs: time.nowMs, sleep: time.sleep });
    await limiter.acquire('a', 'chat');
    await limiter.acquire('b', 'other');
    expect(time.nowMs()).toBe(0);
    await limiter.acquire('b', 'chat');
    expect(time.nowMs()).toBe(3000);
  });

  it('a paused bot (flood wait) is refused at once and after a queued wait; other bots go on', async () => {
    const time = fakeTime();
    const limiter = new SendLimiter({ nowMs: time.nowMs, sleep: time.sleep });
    limiter.pause('a', 30_000);
    expect(await limiter.acquire('a', 'chat1')).toBe(false);
    expect(await limiter.acquire('b', 'chat2')).toBe(true);
    expect(time.nowMs()).toBe(0);
    // Queued behind the 3 s chat gap, then the wait ends past the pause: it may send.
    await time.sleep(30_000);
    expect(await limiter.acquire('a', 'chat1')).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import { MAX_CHATS } from '../../../../src/shared/bot-config-schema';
import { planFeatures } from './plan-features';

describe('plan features', () => {
  const texts = planFeatures({ senders: 1, postingIntervalSeconds: 1800, validityDays: 30 }).map((f) => f.text);

  it('promise only what the server does: the chat limit it enforces, and the delivery log', () => {
    expect(texts).toContain(`Up to ${MAX_CHATS} groups and channels per adbot`);
    expect(texts).toContain('Delivery log of every post, with links and CSV export');
    expect(texts.join(' ')).not.toMatch(/unlimited/i);
  });

  it('word the plan itself', () => {
    expect(texts.slice(0, 3)).toEqual(['1 account posting for you', 'Posts every 30 minutes', '30 days, renew any time']);
  });
});

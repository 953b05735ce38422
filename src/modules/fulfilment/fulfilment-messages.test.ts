import { describe, expect, it } from 'vitest';
import { describeInterval, fulfilmentEmail } from './fulfilment-messages.js';

const base = {
  orderNumber: 7,
  planName: 'Silver',
  senders: 2,
  postingIntervalSeconds: 1800,
  expiresAt: new Date('2030-01-31T12:00:00Z'),
  dashboardUrl: 'https://hq.example/dashboard',
  licenseKey: 'LK-AAAA',
};

describe('fulfilment email', () => {
  it('carries the access code line, the license key, plan, expiry and dashboard on a first purchase', () => {
    const { bodyText, secrets } = fulfilmentEmail({ ...base, kind: 'new', accessCode: 'HQ-ABCD-EFGH' });
    // Named so queueEmail stores them masked.
    expect(secrets).toEqual(['HQ-ABCD-EFGH', 'LK-AAAA']);
    expect(bodyText).toMatch(/^Access code: HQ-ABCD-EFGH$/m);
    expect(bodyText).toMatch(/^License key: LK-AAAA$/m);
    expect(bodyText).toContain('Silver — 2 senders, posts every 30 minutes');
    expect(bodyText).toContain('Valid until: 2030-01-31 12:00 UTC');
    expect(bodyText).toContain('https://hq.example/dashboard');
  });
  it('says the new expiry on a renewal and never carries an access code', () => {
    const { bodyText, subject } = fulfilmentEmail({ ...base, kind: 'renewal', accessCode: null });
    expect(bodyText).not.toContain('Access code');
    expect(bodyText).toContain('New expiry: 2030-01-31 12:00 UTC');
    expect(subject).toContain('renewed');
  });
  it('describes intervals in words', () => {
    expect([3600, 1800, 120, 7200, 45].map(describeInterval)).toEqual([
      'every hour',
      'every 30 minutes',
      'every 2 minutes',
      'every 2 hours',
      'every 45 seconds',
    ]);
  });
});

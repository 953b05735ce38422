import { describe, expect, it } from 'vitest';
import { describeInterval, fulfilmentEmail, fulfilmentNotification } from './fulfilment-messages.js';

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
  it('says a smaller plan was credited as days on the kept plan, in the email and the notification', () => {
    const m = {
      ...base,
      planName: 'Gold',
      senders: 3,
      postingIntervalSeconds: 1200,
      kind: 'credit' as const,
      accessCode: null,
      credit: { paidPlanName: 'Bronze', days: 11 },
    };
    const { subject, bodyText } = fulfilmentEmail(m);
    expect(subject).toBe('HQAdz order #7: 11 days added to your Gold plan');
    expect(bodyText).toContain('You paid for Bronze, but your account already runs Gold');
    expect(bodyText).toContain('as 11 days');
    expect(bodyText).toContain('Plan: Gold — 3 senders, posts every 20 minutes');
    expect(fulfilmentNotification(m)).toMatchObject({ title: '11 days added to Gold', body: expect.stringContaining('Gold is kept') });
  });
  it('explains a rotated access code and carries it', () => {
    const m = { ...base, kind: 'renewal' as const, accessCode: 'HQ-NEW1-CODE', accessCodeRotated: true };
    const { subject, bodyText, secrets } = fulfilmentEmail(m);
    expect(bodyText).toMatch(/^Access code: HQ-NEW1-CODE$/m);
    expect(bodyText).toContain('Your access code has changed');
    expect(subject).toContain('new access code');
    expect(secrets).toContain('HQ-NEW1-CODE');
    expect(fulfilmentNotification(m).body).toContain('Your access code was changed');
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

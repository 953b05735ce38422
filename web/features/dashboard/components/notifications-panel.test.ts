import { describe, expect, it } from 'vitest';
import { exactTime } from '../../../lib/format';
import { readableBody } from './notifications-panel';

describe('readableBody', () => {
  it('writes ISO and "… UTC" times in the one exact format', () => {
    expect(readableBody('Active until 2027-01-02 11:52 UTC. Add your bots.')).toBe(`Active until ${exactTime('2027-01-02T11:52:00Z')}. Add your bots.`);
    expect(readableBody('Paid at 2026-12-03T10:00:00Z')).toBe(`Paid at ${exactTime('2026-12-03T10:00:00Z')}`);
    expect(readableBody('Order #12 for 2 bots')).toBe('Order #12 for 2 bots');
  });
});

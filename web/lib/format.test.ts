import { describe, expect, it } from 'vitest';
import { refreshIntervalMs, relativeTime } from './format';

const now = Date.parse('2026-12-01T12:00:00Z');
const at = (s: number) => new Date(now + s * 1000);

describe('relativeTime', () => {
  it('never says "in …" of a time known to be past (a browser clock a little behind)', () => {
    expect(relativeTime(at(5), now, 'past')).toBe('just now');
    expect(relativeTime(at(40), now, 'past')).toBe('just now');
    expect(relativeTime(at(-30), now, 'past')).toBe('30 seconds ago');
    expect(relativeTime(at(-7200), now, 'past')).toBe('2 hours ago');
  });

  it('never says "ago" of a time known to be ahead', () => {
    expect(relativeTime(at(-3), now, 'future')).toBe('due now');
    expect(relativeTime(at(3), now, 'future')).toBe('in a few seconds');
    expect(relativeTime(at(600), now, 'future')).toBe('in 10 minutes');
  });

  it('is redrawn each second while under a minute away', () => {
    expect(refreshIntervalMs(at(-5), now)).toBe(1000);
    expect(refreshIntervalMs(at(-600), now)).toBe(15_000);
    expect(refreshIntervalMs(at(-7200), now)).toBe(60_000);
  });
});

import { describe, expect, it } from 'vitest';
import { dayEnd, dayStart } from './date-range';

describe('the log date filters', () => {
  it('turn a calendar day into the local day’s start and the next day’s start', () => {
    const start = dayStart('2025-03-02')!;
    const end = dayEnd('2025-03-02')!;
    expect(new Date(start).getDate()).toBe(2);
    expect(new Date(start).getHours()).toBe(0);
    expect(new Date(end).getDate()).toBe(3);
    expect(new Date(end).getHours()).toBe(0);
    // Month and year ends roll over.
    expect(new Date(dayEnd('2025-12-31')!).getFullYear()).toBe(2026);
  });

  it('leave an empty or half-typed day unset', () => {
    expect(dayStart('')).toBeUndefined();
    expect(dayEnd('2025-03')).toBeUndefined();
  });
});

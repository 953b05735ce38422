import { describe, expect, it } from 'vitest';
import { usdToCentsCeil } from './provider.js';

describe('usdToCentsCeil', () => {
  it('rounds up to whole cents without float noise', () => {
    expect(usdToCentsCeil(1.1)).toBe(110);
    expect(usdToCentsCeil(2.2)).toBe(220);
    expect(usdToCentsCeil(30)).toBe(3000);
    expect(usdToCentsCeil(1.111)).toBe(112);
    expect(usdToCentsCeil(0.000001)).toBe(1);
  });
});

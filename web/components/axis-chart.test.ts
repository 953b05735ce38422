import { describe, expect, it } from 'vitest';
import { niceTop, spreadTicks } from './axis-chart';

describe('chart axes', () => {
  it('tops the scale at a round number whose half is whole', () => {
    expect([0, 1, 2, 3, 5, 7, 9, 10, 11, 55, 61, 100, 101, 950].map(niceTop)).toEqual([2, 2, 2, 4, 6, 8, 10, 10, 20, 60, 80, 100, 200, 1000]);
  });

  it('spreads date ticks over the bars, ends included', () => {
    expect(spreadTicks(30, 5)).toEqual([0, 7, 15, 22, 29]);
    expect(spreadTicks(14, 4)).toEqual([0, 4, 9, 13]);
    expect(spreadTicks(3, 5)).toEqual([0, 1, 2]);
  });
});

import { describe, expect, it } from 'vitest';
import { tickBatcher } from './tick-batcher.js';

const turn = () => new Promise((r) => setImmediate(r));

describe('tickBatcher', () => {
  it('sends the keys of one turn as one load, each key once, and answers each caller with its own row', async () => {
    const loads: string[][] = [];
    const get = tickBatcher(async (keys: string[]) => {
      loads.push(keys);
      return new Map(keys.filter((k) => k !== 'ghost').map((k) => [k, `row of ${k}`]));
    });
    const answers = await Promise.all([get('a'), get('b'), get('a'), get('ghost')]);
    expect(loads).toEqual([['a', 'b', 'ghost']]);
    expect(answers).toEqual(['row of a', 'row of b', 'row of a', undefined]);
  });

  it('never answers a key with a load that was sent before it was asked for', async () => {
    let version = 0;
    const sent: number[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const get = tickBatcher(async (keys: string[]) => {
      const seen = version; // what the statement reads: the state when it is sent
      sent.push(seen);
      await gate;
      return new Map(keys.map((k) => [k, seen]));
    });
    const early = get('u');
    await turn(); // the first batch is on its way
    expect(sent).toEqual([0]);
    version = 1; // a revocation committed while that statement runs
    const late = get('u');
    release();
    expect(await early).toBe(0);
    expect(await late).toBe(1); // a batch of its own, sent after the change
    expect(sent).toEqual([0, 1]);
  });

  it('gives every caller of a failed batch its error, and the next turn loads afresh', async () => {
    let fail = true;
    const get = tickBatcher(async (keys: string[]) => {
      if (fail) throw new Error('database down');
      return new Map(keys.map((k) => [k, k]));
    });
    const results = await Promise.allSettled([get('a'), get('b')]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    expect(await get('a')).toBe('a');
  });

  it('sends a batch at once when it reaches maxBatch distinct keys', async () => {
    const loads: number[][] = [];
    const get = tickBatcher(
      async (keys: number[]) => {
        loads.push(keys);
        return new Map(keys.map((k) => [k, k]));
      },
      { maxBatch: 3 },
    );
    const all = Promise.all([1, 2, 3, 4, 5].map((k) => get(k)));
    expect(loads).toEqual([[1, 2, 3]]); // sent without waiting for the turn to end
    expect(await all).toEqual([1, 2, 3, 4, 5]);
    expect(loads).toEqual([
      [1, 2, 3],
      [4, 5],
    ]);
  });
});

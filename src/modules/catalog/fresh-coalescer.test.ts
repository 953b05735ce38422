import { describe, expect, it } from 'vitest';
import { freshCoalescer } from './fresh-coalescer.js';

function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('freshCoalescer', () => {
  it('answers a burst with two loads, and never with a load started before the request', async () => {
    const loads: ReturnType<typeof deferred<number>>[] = [];
    const get = freshCoalescer(() => {
      const d = deferred<number>();
      loads.push(d);
      return d.promise;
    });
    const first = get();
    const burst = Array.from({ length: 20 }, () => get());
    expect(loads).toHaveLength(1);
    loads[0]!.resolve(1);
    expect(await first).toBe(1);
    await Promise.resolve();
    await new Promise((r) => setImmediate(r));
    expect(loads).toHaveLength(2);
    loads[1]!.resolve(2);
    expect(await Promise.all(burst)).toEqual(Array(20).fill(2));
    // Idle again: the next request loads afresh.
    const later = get();
    expect(loads).toHaveLength(3);
    loads[2]!.resolve(3);
    expect(await later).toBe(3);
  });

  it('does not let a failed load poison the requests queued behind it', async () => {
    let n = 0;
    const get = freshCoalescer(async () => {
      n++;
      if (n === 1) throw new Error('db down');
      return n;
    });
    const a = get();
    const b = get();
    await expect(a).rejects.toThrow('db down');
    expect(await b).toBe(2);
  });
});

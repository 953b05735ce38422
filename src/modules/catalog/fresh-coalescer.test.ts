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

describe('freshCoalescer with a staleness bound', () => {
  it('answers from a load that started at most maxStaleMs before the request, and no older', async () => {
    let clock = 1_000;
    let loads = 0;
    const get = freshCoalescer(async () => ++loads, { maxStaleMs: 1000, now: () => clock });
    expect(await get()).toBe(1);
    clock += 1000;
    expect(await get()).toBe(1);
    clock += 1;
    expect(await get()).toBe(2);
    expect(loads).toBe(2);
  });

  it('starts afresh once this process notes a change (a new generation)', async () => {
    let gen = 0;
    let loads = 0;
    const get = freshCoalescer(async () => ++loads, { maxStaleMs: 60_000, generation: () => gen, now: () => 0 });
    expect(await get()).toBe(1);
    expect(await get()).toBe(1);
    gen++;
    expect(await get()).toBe(2);
  });

  it('never keeps a failed load as the answer', async () => {
    let n = 0;
    const get = freshCoalescer(
      async () => {
        n++;
        if (n === 1) throw new Error('db down');
        return n;
      },
      { maxStaleMs: 60_000, now: () => 0 },
    );
    await expect(get()).rejects.toThrow('db down');
    expect(await get()).toBe(2);
  });
});

/**
 * Shares one load among requests that arrive together. A request is answered by a load
 * that started after it arrived or, with `maxStaleMs`, by one that started at most that
 * long before it (then a burst costs one load per `maxStaleMs` instead of one per
 * request). With the default 0 nothing read before a request ever answers it: a request
 * that comes while a load is running waits for the *next* load, which every request
 * arriving meanwhile shares, so a burst of N requests is about two loads instead of N.
 * `generation` lets writes in this process end the staleness window at once: a load
 * started under an older generation answers no request that arrived after the change.
 */
export type FreshCoalescerOptions = {
  /** How long before a request a load may have started and still answer it (ms). */
  maxStaleMs?: number;
  /** Moves on whenever this process changes what `load` reads. */
  generation?: () => number;
  /** The clock (ms); tests pass their own. */
  now?: () => number;
};

type Load<T> = { promise: Promise<T>; startedAt: number; generation: number; ok: boolean };

export function freshCoalescer<T>(load: () => Promise<T>, options: FreshCoalescerOptions = {}): () => Promise<T> {
  const maxStaleMs = options.maxStaleMs ?? 0;
  const generation = options.generation ?? (() => 0);
  const now = options.now ?? Date.now;
  let running: Load<T> | null = null;
  let latest: Load<T> | null = null;
  let queued: Promise<T> | null = null;
  const launch = (): Promise<T> => {
    const l: Load<T> = { promise: load(), startedAt: now(), generation: generation(), ok: false };
    running = l;
    l.promise.then(
      () => {
        l.ok = true;
        if (!latest || latest.startedAt <= l.startedAt) latest = l;
        if (running === l) running = null;
      },
      () => {
        if (running === l) running = null;
      },
    );
    return l.promise;
  };
  // Fresh enough for a request arriving now: started no more than maxStaleMs ago, under
  // the current generation. Never true with maxStaleMs 0 (the clock has no finer grain
  // than "started before the request", so 0 must mean "not at all").
  const usable = (l: Load<T> | null): boolean => maxStaleMs > 0 && l !== null && l.generation === generation() && now() - l.startedAt <= maxStaleMs;
  return () => {
    const done = latest as Load<T> | null;
    if (done && usable(done) && done.ok) return done.promise;
    const current = running as Load<T> | null;
    if (current && usable(current)) return current.promise;
    if (!current) return launch();
    if (!queued) {
      const settled = current.promise.then(
        () => undefined,
        () => undefined,
      );
      queued = settled.then(() => {
        queued = null;
        return launch();
      });
    }
    return queued;
  };
}

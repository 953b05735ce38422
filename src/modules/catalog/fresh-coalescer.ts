/**
 * Shares one load among requests that arrive together, without ever answering a request
 * with data read before it arrived: a request that comes while a load is running waits for
 * the *next* load, which every request arriving meanwhile shares. Under a burst of N
 * requests this is about two loads instead of N; a lone request still reads the database.
 * (A time-based cache would break "a price edited in the database shows on the next
 * request", SPEC's promise for the pricing page.)
 */
export function freshCoalescer<T>(load: () => Promise<T>): () => Promise<T> {
  let running: Promise<T> | null = null;
  let queued: Promise<T> | null = null;
  const launch = (): Promise<T> => {
    const p = load();
    running = p;
    const clear = () => {
      if (running === p) running = null;
    };
    p.then(clear, clear);
    return p;
  };
  return () => {
    if (!running) return launch();
    if (!queued) {
      const settled = running.then(
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

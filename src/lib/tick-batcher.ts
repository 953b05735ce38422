/**
 * Reads for keys asked for in the same turn of the event loop go out as one statement.
 * Under load, many requests are parsed in one turn (every socket with data is read before
 * `setImmediate` callbacks run); a statement per request costs each one a round trip with
 * its own write to the database, its own executor start-up and its own row description,
 * where one statement for the turn shares them (issue 12: most of the dashboard poll's cost).
 *
 * This is not a cache: a key joins only a batch that has not been sent yet, so every answer
 * comes from a statement that started after the request asked, exactly as a statement of
 * its own would. A key asked for twice in one batch is read once, and both callers get that
 * row. When the statement fails, every caller in the batch gets its error.
 */
export type TickBatcherOptions = {
  /** A batch that reaches this many distinct keys goes out at once, without waiting for the turn to end. */
  maxBatch?: number;
};

type Waiter<V> = { resolve: (v: V | undefined) => void; reject: (err: unknown) => void };

export function tickBatcher<K, V>(loadMany: (keys: K[]) => Promise<Map<K, V>>, options: TickBatcherOptions = {}): (key: K) => Promise<V | undefined> {
  const maxBatch = options.maxBatch ?? 100;
  let pending: Map<K, Waiter<V>[]> | null = null;

  const flush = (batch: Map<K, Waiter<V>[]>) => {
    if (pending === batch) pending = null;
    let load: Promise<Map<K, V>>;
    try {
      load = loadMany([...batch.keys()]);
    } catch (err) {
      load = Promise.reject(err);
    }
    load.then(
      (found) => {
        for (const [key, waiters] of batch) for (const w of waiters) w.resolve(found.get(key));
      },
      (err: unknown) => {
        for (const waiters of batch.values()) for (const w of waiters) w.reject(err);
      },
    );
  };

  return (key) =>
    new Promise<V | undefined>((resolve, reject) => {
      let batch = pending;
      if (!batch) {
        const fresh = new Map<K, Waiter<V>[]>();
        pending = batch = fresh;
        setImmediate(() => {
          if (pending === fresh) flush(fresh);
        });
      }
      const waiters = batch.get(key);
      if (waiters) waiters.push({ resolve, reject });
      else batch.set(key, [{ resolve, reject }]);
      if (batch.size >= maxBatch) flush(batch);
    });
}

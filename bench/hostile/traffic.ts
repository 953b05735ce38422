// HTTP traffic for bench/hostile.ts: one request with a hard timeout, a fixed-rate (open-loop)
// driver, and the status/latency tallies every phase reports.

/** What one request came to: the HTTP status, or `timeout` / `error:<name>` when there was none. */
export type Outcome = { status: number | string; ms: number };

export const REQUEST_TIMEOUT_MS = 20_000;

export type HttpRequest = { url: string; method?: string; headers?: Record<string, string>; body?: string | Uint8Array<ArrayBuffer> };

/** Sends one request; a slow or dead server costs at most `timeoutMs` and is counted, never thrown. */
export async function send(req: HttpRequest, timeoutMs = REQUEST_TIMEOUT_MS): Promise<Outcome> {
  const t0 = performance.now();
  try {
    const res = await fetch(req.url, {
      method: req.method ?? 'GET',
      headers: req.headers ?? {},
      ...(req.body !== undefined ? { body: req.body } : {}),
      signal: AbortSignal.timeout(timeoutMs),
    });
    await res.arrayBuffer();
    return { status: res.status, ms: performance.now() - t0 };
  } catch (err) {
    const e = err as Error & { cause?: { code?: string } };
    const status = e.name === 'TimeoutError' || e.name === 'AbortError' ? 'timeout' : `error:${e.cause?.code ?? e.name}`;
    return { status, ms: performance.now() - t0 };
  }
}

/**
 * Starts `make(i)` at a fixed rate for `seconds`, whatever the answers' speed (a client that
 * waited for answers would slow down with the server and hide its queue). Resolves when the
 * last request has settled, which `send`'s timeout bounds. Past `maxInFlight` a tick is
 * skipped and counted, so a dead server cannot make the client hold unbounded sockets.
 */
export async function atRate<T>(
  perSecond: number,
  seconds: number,
  make: (i: number) => Promise<T>,
  maxInFlight = 1000,
): Promise<{ results: T[]; skipped: number }> {
  const total = Math.round(perSecond * seconds);
  const interval = 1000 / perSecond;
  const started = performance.now();
  const pending: Promise<void>[] = [];
  const results: T[] = [];
  let inFlight = 0;
  let skipped = 0;
  for (let i = 0; i < total; i++) {
    const wait = started + i * interval - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    if (inFlight >= maxInFlight) {
      skipped++;
      continue;
    }
    inFlight++;
    pending.push(
      make(i).then((r) => {
        inFlight--;
        results.push(r);
      }),
    );
  }
  await Promise.all(pending);
  return { results, skipped };
}

/** Runs `make` over `items` with at most `concurrency` in flight. */
export async function inParallel<T, R>(items: T[], concurrency: number, make: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      for (let i = next++; i < items.length; i = next++) out[i] = await make(items[i]!);
    }),
  );
  return out;
}

export type Tally = { n: number; counts: Record<string, number>; p50: number; p99: number; max: number };

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** Counts by status and latency percentiles; a timed-out request counts with its full wait. */
export function tally(outcomes: Outcome[]): Tally {
  const counts: Record<string, number> = {};
  for (const o of outcomes) counts[String(o.status)] = (counts[String(o.status)] ?? 0) + 1;
  const ms = outcomes.map((o) => o.ms).sort((a, b) => a - b);
  return { n: outcomes.length, counts, p50: percentile(ms, 50), p99: percentile(ms, 99), max: ms.at(-1) ?? 0 };
}

/** `200×12 401×3 timeout×1`, codes in order. */
export function formatCounts(counts: Record<string, number>): string {
  const keys = Object.keys(counts).sort();
  return keys.length ? keys.map((k) => `${k}×${counts[k]}`).join(' ') : '-';
}

export const isAccepted = (s: number | string) => typeof s === 'number' && s >= 200 && s < 300;
export const is5xx = (s: number | string) => typeof s === 'number' && s >= 500;
export const ms = (v: number) => (v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${v.toFixed(1)} ms`);

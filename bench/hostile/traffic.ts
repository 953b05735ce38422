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
    // undici's own connect timeout (10 s): the server's accept queue is full, nobody is reading it.
    const code = e.cause?.code === 'UND_ERR_CONNECT_TIMEOUT' ? 'connect-timeout' : (e.cause?.code ?? e.name);
    const status = e.name === 'TimeoutError' || e.name === 'AbortError' ? 'timeout' : `error:${code}`;
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

export type Tally = {
  n: number;
  counts: Record<string, number>;
  p50: number;
  p99: number;
  max: number;
  /** The request at that rank got no HTTP answer (a timeout or a refused connection): its time is a floor. */
  unanswered: { p50: boolean; p99: boolean; max: boolean };
};

export function percentile(sorted: number[], p: number): number {
  return sorted.length === 0 ? 0 : sorted[rank(sorted.length, p)]!;
}

const rank = (n: number, p: number) => Math.min(n - 1, Math.max(0, Math.ceil((p / 100) * n) - 1));

/** Counts by status and latency percentiles; a request with no answer counts with its full wait. */
export function tally(outcomes: Outcome[]): Tally {
  const counts: Record<string, number> = {};
  for (const o of outcomes) counts[String(o.status)] = (counts[String(o.status)] ?? 0) + 1;
  const sorted = [...outcomes].sort((a, b) => a.ms - b.ms);
  const at = (p: number) => sorted[rank(sorted.length, p)];
  const noAnswer = (o: Outcome | undefined) => o !== undefined && typeof o.status !== 'number';
  return {
    n: outcomes.length,
    counts,
    p50: at(50)?.ms ?? 0,
    p99: at(99)?.ms ?? 0,
    max: sorted.at(-1)?.ms ?? 0,
    unanswered: { p50: noAnswer(at(50)), p99: noAnswer(at(99)), max: noAnswer(sorted.at(-1)) },
  };
}

/** A tally's latency at a rank; `≥` marks a request that never got an answer (the figure is its timeout). */
export function lat(t: Tally, which: 'p50' | 'p99' | 'max'): string {
  return `${t.unanswered[which] ? '≥ ' : ''}${ms(t[which])}`;
}

/** `200×12 401×3 timeout×1`, codes in order. */
export function formatCounts(counts: Record<string, number>): string {
  const keys = Object.keys(counts).sort();
  return keys.length ? keys.map((k) => `${k}×${counts[k]}`).join(' ') : '-';
}

export const isAccepted = (s: number | string) => typeof s === 'number' && s >= 200 && s < 300;
export const is5xx = (s: number | string) => typeof s === 'number' && s >= 500;
export const ms = (v: number) => (v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${v.toFixed(1)} ms`);

// The process's Prometheus metrics: one registry for what this process counts itself
// (HTTP, IPN verdicts, fulfilment latency, posts, engine lag, process metrics). The
// by-status gauges are read from the database at scrape time (db-metrics.ts), so every
// process reports the same shared state and none has to keep it in step.
import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';

export const processRegistry = new Registry();
collectDefaultMetrics({ register: processRegistry });

const httpRequests = new Counter({
  name: 'hqadz_http_requests_total',
  help: 'HTTP requests answered, by route pattern and status',
  labelNames: ['method', 'route', 'status'] as const,
  registers: [processRegistry],
});

const httpDuration = new Histogram({
  name: 'hqadz_http_request_duration_seconds',
  help: 'HTTP request latency, by route pattern',
  labelNames: ['method', 'route'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [processRegistry],
});

export const IPN_VERDICTS = ['applied', 'duplicate', 'forged', 'unknown', 'rejected', 'ignored', 'error'] as const;
export type IpnVerdictLabel = (typeof IPN_VERDICTS)[number] | 'other';

const ipnReceived = new Counter({
  name: 'hqadz_ipn_received_total',
  help: 'IPN deliveries received by this process, by verdict (forged: missing or bad signature; unknown: no such payment)',
  labelNames: ['verdict'] as const,
  registers: [processRegistry],
});

const fulfilmentLatency = new Histogram({
  name: 'hqadz_fulfilment_latency_seconds',
  help: 'Time from an order being paid to it being fulfilled',
  buckets: [0.5, 1, 2, 5, 10, 30, 60, 120, 300, 900, 3600],
  registers: [processRegistry],
});

export const POST_RESULTS = ['sent', 'failed', 'deferred', 'taken', 'cancelled'] as const;

const postsTotal = new Counter({
  name: 'hqadz_posts_total',
  help: 'Post attempts by the posting engine in this process, by result',
  labelNames: ['result'] as const,
  registers: [processRegistry],
});

const engineLag = new Histogram({
  name: 'hqadz_engine_lag_seconds',
  help: 'How late a post started after its chat was due',
  buckets: [0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600],
  registers: [processRegistry],
});

// Every known label value exists from the start at 0, so rate() and dashboards see the
// series before the first event.
for (const v of IPN_VERDICTS) ipnReceived.labels(v).inc(0);
for (const r of POST_RESULTS) postsTotal.labels(r).inc(0);

export function observeHttpRequest(method: string, route: string, status: number, seconds: number): void {
  httpRequests.labels(method, route, String(status)).inc();
  httpDuration.labels(method, route).observe(seconds);
}

/** Our stored verdicts (payment_events.verdict) folded into a few stable label values. */
export function ipnVerdictLabel(verdict: string): IpnVerdictLabel {
  if (verdict === 'applied' || verdict === 'changed') return 'applied';
  if (verdict === 'duplicate') return 'duplicate';
  if (verdict === 'rejected_signature' || verdict === 'rejected_unsigned') return 'forged';
  if (verdict === 'unknown_payment') return 'unknown';
  if (verdict.startsWith('rejected_')) return 'rejected';
  if (verdict.startsWith('ignored')) return 'ignored';
  if (verdict === 'error') return 'error';
  return 'other';
}

/** Call once per IPN delivery, with the verdict that is stored for it. */
export function recordIpnVerdict(verdict: string): void {
  ipnReceived.labels(ipnVerdictLabel(verdict)).inc();
}

/** Call when an order becomes fulfilled, with seconds since it was paid. */
export function observeFulfilment(seconds: number): void {
  if (Number.isFinite(seconds)) fulfilmentLatency.observe(Math.max(0, seconds));
}

/** Call once per post attempt with postToChat's outcome (sent, failed, deferred, ...). */
export function recordPost(result: string): void {
  postsTotal.labels(result).inc();
}

/** Call when a due chat is posted to, with seconds since it was due. */
export function observeEngineLag(seconds: number): void {
  if (Number.isFinite(seconds)) engineLag.observe(Math.max(0, seconds));
}

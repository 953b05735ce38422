// Gauges read from the database at scrape time: orders, payments, senders and adbots by
// status, pg-boss queue depth and oldest waiting job per queue, worker heartbeat age.
// A fresh registry per scrape: several apps in one process (tests) each read their own database.
import { sql } from 'drizzle-orm';
import { Gauge, Registry } from 'prom-client';
import { adbots, orders, payments, senders } from '../db/schema.js';
import type { AppContext } from './app-context.js';
import { withTimeout } from './with-timeout.js';
import { heartbeatAgeSeconds } from './worker-heartbeat.js';

const SCRAPE_DB_TIMEOUT_MS = 1000;

type Row = Record<string, unknown>;

async function rows(ctx: AppContext, query: ReturnType<typeof sql>): Promise<Row[]> {
  const res = (await ctx.db.execute(query)) as unknown as { rows: Row[] };
  return res.rows;
}

async function countBy(ctx: AppContext, table: string, column: string): Promise<Map<string, number>> {
  const res = await rows(ctx, sql.raw(`select ${column} as k, count(*)::int as n from ${table} group by ${column}`));
  return new Map(res.map((r) => [String(r.k), Number(r.n)]));
}

function statusGauge(registry: Registry, name: string, help: string, label: string, known: readonly string[], counts: Map<string, number>) {
  const gauge = new Gauge({ name, help, labelNames: [label], registers: [registry] });
  for (const k of new Set([...known, ...counts.keys()])) gauge.labels(k).set(counts.get(k) ?? 0);
}

async function readDbGauges(ctx: AppContext, registry: Registry): Promise<void> {
  const [orderCounts, paymentCounts, senderCounts, adbotCounts, queues, heartbeatAge] = await Promise.all([
    countBy(ctx, 'orders', 'status'),
    countBy(ctx, 'payments', 'status'),
    countBy(ctx, 'senders', 'state'),
    countBy(ctx, 'adbots', 'status'),
    rows(
      ctx,
      sql`select q.name,
            count(j.id) filter (where j.state in ('created', 'retry') and j.start_after <= now())::int as ready,
            count(j.id) filter (where j.state = 'active')::int as active,
            coalesce(extract(epoch from now() - min(j.start_after) filter (where j.state in ('created', 'retry') and j.start_after <= now())), 0)::float8 as oldest
          from pgboss.queue q left join pgboss.job j on j.name = q.name
          group by q.name`,
    ),
    heartbeatAgeSeconds(ctx),
  ]);
  statusGauge(registry, 'hqadz_orders', 'Orders by status', 'status', orders.status.enumValues, orderCounts);
  statusGauge(registry, 'hqadz_payments', 'Payments by status', 'status', payments.status.enumValues, paymentCounts);
  statusGauge(registry, 'hqadz_senders', 'Sender bots by state', 'state', senders.state.enumValues, senderCounts);
  statusGauge(registry, 'hqadz_adbots', 'Adbots by status', 'status', adbots.status.enumValues, adbotCounts);

  const depth = new Gauge({ name: 'hqadz_queue_depth', help: 'Jobs ready to run and not started, per queue', labelNames: ['queue'], registers: [registry] });
  const active = new Gauge({ name: 'hqadz_queue_active', help: 'Jobs running now, per queue', labelNames: ['queue'], registers: [registry] });
  const oldest = new Gauge({
    name: 'hqadz_queue_oldest_job_age_seconds',
    help: 'How long the oldest ready job has waited, per queue (0 when none)',
    labelNames: ['queue'],
    registers: [registry],
  });
  for (const q of queues) {
    const name = String(q.name);
    depth.labels(name).set(Number(q.ready));
    active.labels(name).set(Number(q.active));
    oldest.labels(name).set(Number(q.oldest));
  }
  if (heartbeatAge !== null) {
    new Gauge({ name: 'hqadz_worker_heartbeat_age_seconds', help: 'Seconds since a worker last beat', registers: [registry] }).set(heartbeatAge);
  }
}

/** The database-derived part of a scrape; `hqadz_metrics_db_up` says whether it could be read. */
export async function renderDbMetrics(ctx: AppContext): Promise<string> {
  const registry = new Registry();
  const up = new Gauge({ name: 'hqadz_metrics_db_up', help: '1 when this scrape could read the database gauges', registers: [registry] });
  try {
    await withTimeout(readDbGauges(ctx, registry), SCRAPE_DB_TIMEOUT_MS, 'metrics database read');
    up.set(1);
    return registry.metrics();
  } catch {
    // A scrape still answers with the process metrics while the database is away.
    const fallback = new Registry();
    new Gauge({ name: 'hqadz_metrics_db_up', help: '1 when this scrape could read the database gauges', registers: [fallback] }).set(0);
    return fallback.metrics();
  }
}

// IPN webhook throughput and latency against a RUNNING app (ideally on PostgreSQL, next to pgbench).
// Usage: npx tsx bench/ipn-throughput.ts [requests=2000] [concurrency=32] [payments=20]
//   BENCH_URL             app base URL (default http://127.0.0.1:3000)
//   NOWPAYMENTS_IPN_SECRET the app's IPN secret; in test mode it is read from DATA_DIR/secrets.json
// The app should run in test mode (sandbox invoices) with enough senders for `payments` Bronze orders.
// Each payment gets one `confirming` that applies, then duplicates (the common retry storm), and a
// final `finished` (the path that enqueues fulfilment) timed separately.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { signIpn } from '../src/modules/payments/ipn-signature.js';

const total = Number(process.argv[2] ?? 2000);
const concurrency = Number(process.argv[3] ?? 32);
const paymentCount = Number(process.argv[4] ?? 20);
const base = (process.env.BENCH_URL ?? 'http://127.0.0.1:3000').replace(/\/$/, '');

function ipnSecret(): string {
  if (process.env.NOWPAYMENTS_IPN_SECRET) return process.env.NOWPAYMENTS_IPN_SECRET;
  const file = path.join(path.resolve(process.env.DATA_DIR ?? './data'), 'secrets.json');
  return (JSON.parse(readFileSync(file, 'utf8')) as { sandboxIpnSecret: string }).sandboxIpnSecret;
}

type Invoice = { paymentId: string; orderId: string; priceUsd: number; payAmount: string; payAddress: string; payCurrency: string };

async function createInvoices(): Promise<Invoice[]> {
  const out: Invoice[] = [];
  const run = Date.now().toString(36);
  for (let i = 0; i < paymentCount; i++) {
    const res = await fetch(`${base}/api/payment/create`, {
      method: 'POST',
      // One client address per checkout so the per-IP limit does not cap the set-up.
      headers: { 'content-type': 'application/json', 'x-forwarded-for': `198.18.${(i >> 8) & 255}.${i & 255}` },
      body: JSON.stringify({ email: `bench.${run}.${i}@example.com`, slug: 'bronze', currency: 'usdttrc20' }),
    });
    const body = (await res.json()) as Invoice & { error?: { message: string } };
    if (res.status !== 201 && res.status !== 200) {
      console.warn(`checkout ${i}: ${res.status} ${body.error?.message ?? ''} (stopping at ${out.length} payments)`);
      break;
    }
    out.push(body);
  }
  return out;
}

function ipnBody(inv: Invoice, status: string) {
  const paid = Number(inv.payAmount);
  return {
    payment_id: Number.isSafeInteger(Number(inv.paymentId)) ? Number(inv.paymentId) : inv.paymentId,
    payment_status: status,
    pay_address: inv.payAddress,
    price_amount: inv.priceUsd,
    price_currency: 'usd',
    pay_amount: paid,
    actually_paid: paid,
    pay_currency: inv.payCurrency,
    order_id: inv.orderId,
    order_description: 'bench',
    purchase_id: `bench-${inv.paymentId}`,
    outcome_amount: paid,
    outcome_currency: inv.payCurrency,
  };
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function fire(jobs: { body: object }[], secret: string) {
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(concurrency, jobs.length) }, async () => {
      for (;;) {
        const i = next++;
        if (i >= jobs.length) return;
        const { body } = jobs[i]!;
        const t0 = performance.now();
        const res = await fetch(`${base}/api/payment/webhook`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-nowpayments-sig': signIpn(body, secret) },
          body: JSON.stringify(body),
        });
        await res.arrayBuffer();
        latencies.push(performance.now() - t0);
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    requests: jobs.length,
    seconds: Number(seconds.toFixed(2)),
    perSecond: Math.round(jobs.length / seconds),
    p50ms: Number(percentile(latencies, 50).toFixed(1)),
    p95ms: Number(percentile(latencies, 95).toFixed(1)),
    p99ms: Number(percentile(latencies, 99).toFixed(1)),
    maxms: Number((latencies.at(-1) ?? 0).toFixed(1)),
    statuses: Object.fromEntries(statuses),
  };
}

async function main() {
  const secret = ipnSecret();
  const invoices = await createInvoices();
  if (invoices.length === 0) throw new Error('no invoices: is the app running in test mode with senders in stock?');
  const storm = Array.from({ length: total }, (_, i) => ({ body: ipnBody(invoices[i % invoices.length]!, 'confirming') }));
  const stormResult = await fire(storm, secret);
  const finishing = await fire(
    invoices.map((inv) => ({ body: ipnBody(inv, 'finished') })),
    secret,
  );
  console.log(JSON.stringify({ target: base, concurrency, payments: invoices.length, confirmingStorm: stormResult, finished: finishing }, null, 2));
  // A run that was throttled or refused measured the wrong thing: say so and fail.
  for (const r of [stormResult, finishing]) {
    const bad = Object.entries(r.statuses).filter(([code]) => code !== '200');
    if (bad.length) throw new Error(`non-200 answers ${JSON.stringify(Object.fromEntries(bad))}: the figures above are not valid`);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});

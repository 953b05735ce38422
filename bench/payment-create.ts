// Issue 9's payment benchmarks, each beside pgbench tpcb-like of the same run:
//   1. POST /api/payment/create, 50 concurrent buyers (one new email each), real NOWPayments
//      mode against the fake (test/fakes/nowpayments.ts, in this process; payout coin set, so
//      the minimum-amount lookup is on the path);
//   2. distinct signed `finished` IPNs, each for its own payment created in 1, at 8 and then
//      32 in flight: verify, store, lock, mark paid, enqueue fulfil-order, commit.
// Usage: npx tsx bench/payment-create.ts [checkouts=1200] [--no-build] [--profile]
// pgbench tpcb-like (scale 10, 10 s, same client count) runs right before each phase.
// The API runs alone (no worker), so queued fulfilments stay queued and the figures are the
// request path only. Every round trip is counted (bench/lib/count-queries.mjs); --profile adds
// `node --cpu-prof` to the API (summary: node bench/lib/cpuprofile-summary.mjs FILE).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { signIpn } from '../src/modules/payments/ipn-signature.js';
import { type Pgbench, pgbench } from './hostile/baselines.js';
import { addSenders, freePort, killEverythingNow, REPO_ROOT, type Stack, startStack } from './hostile/stack.js';
import { percentile } from './hostile/traffic.js';

const args = process.argv.slice(2);
const checkouts = Number(args.find((a) => /^\d+$/.test(a)) ?? 1200);
const BUYERS = 50;
const WARMUP = 100;

type Invoice = { paymentId: string; orderId: string };
type Job = () => Promise<{ status: number; body: unknown }>;
type Phase = {
  label: string;
  inFlight: number;
  n: number;
  perSecond: number;
  p50: number;
  p99: number;
  statuses: Record<string, number>;
  queriesPerRequest: number;
  xactsPerRequest: number;
  cpuUsPerRequest: number;
  writesPerRequest: number;
  pgCpuUsPerRequest: number;
  topQueries: [string, number][];
};

// The load generator is node:http over kept-alive sockets, not fetch: on 2 cores the client's
// own CPU is taken from the API and PostgreSQL, and undici's fetch costs several times more per
// request than a plain request (pgbench, the baseline, is a C client).
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

function post(url: string, body: string, headers: Record<string, string>): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { method: 'POST', agent, timeout: 30_000, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          let parsed: unknown = null;
          try {
            parsed = JSON.parse(Buffer.concat(chunks).toString('utf8'));
          } catch {
            // not JSON: the status decides
          }
          resolve({ status: res.statusCode ?? 0, body: parsed });
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(body);
  });
}

/** utime + stime of a process, in µs (clock ticks are 1/100 s on Linux). */
function cpuUs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10_000;
}

/** Write system calls a process made (every socket write: to PostgreSQL, to the fake, to a client). */
function writeCalls(pid: number): number {
  return Number(/syscw: (\d+)/.exec(readFileSync(`/proc/${pid}/io`, 'utf8'))?.[1] ?? 0);
}

/** CPU (µs) of the PostgreSQL backends serving `database` (`postgres: 15/main: user database host ...`). */
function backendCpuUs(database: string): number {
  let total = 0;
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(` postgres ${database} `)) continue;
      total += cpuUs(Number(pid));
    } catch {
      // gone meanwhile
    }
  }
  return total;
}

async function queryCounts(stack: Stack, file: string): Promise<Map<string, number>> {
  stack.api().kill('SIGUSR2');
  await new Promise((r) => setTimeout(r, 300));
  return new Map(Object.entries(JSON.parse(readFileSync(file, 'utf8')) as Record<string, number>));
}

async function xacts(stack: Stack): Promise<number> {
  const { rows } = await stack.db.query<{ n: string }>('select xact_commit + xact_rollback as n from pg_stat_database where datname = current_database()');
  return Number(rows[0]!.n);
}

/** Runs the jobs with `inFlight` at a time (closed loop) and reports rate, latency and the cost per request. */
async function measure(stack: Stack, countFile: string, label: string, inFlight: number, jobs: Job[], keep: (b: unknown) => void = () => {}): Promise<Phase> {
  const q0 = await queryCounts(stack, countFile);
  const x0 = await xacts(stack);
  const c0 = cpuUs(stack.api().pid!);
  const w0 = writeCalls(stack.api().pid!);
  const database = new URL(stack.dbUrl).pathname.slice(1);
  const pg0 = backendCpuUs(database);
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(inFlight, jobs.length) }, async () => {
      for (let i = next++; i < jobs.length; i = next++) {
        const t0 = performance.now();
        const r = await jobs[i]!().catch((err: Error) => ({ status: `error:${err.name}` as unknown as number, body: null }));
        latencies.push(performance.now() - t0);
        statuses[r.status] = (statuses[r.status] ?? 0) + 1;
        if (r.status === 200 || r.status === 201) keep(r.body);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const cpu = cpuUs(stack.api().pid!) - c0;
  const writes = writeCalls(stack.api().pid!) - w0;
  // Backends that ended during the phase take their CPU with them: the pool keeps its connections.
  const pgCpu = backendCpuUs(database) - pg0;
  // Our own two statistics queries (and the pool's) land in xact_commit too: negligible beside n.
  const x = (await xacts(stack)) - x0;
  const q1 = await queryCounts(stack, countFile);
  const delta = [...q1].map(([k, v]) => [k, v - (q0.get(k) ?? 0)] as [string, number]).filter(([, v]) => v > 0);
  const queries = delta.reduce((a, [, v]) => a + v, 0);
  latencies.sort((a, b) => a - b);
  const n = jobs.length;
  return {
    label,
    inFlight,
    n,
    perSecond: Math.round(n / seconds),
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    statuses,
    queriesPerRequest: queries / n,
    xactsPerRequest: x / n,
    cpuUsPerRequest: Math.round(cpu / n),
    writesPerRequest: writes / n,
    pgCpuUsPerRequest: Math.round(pgCpu / n),
    topQueries: delta.sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, v / n]),
  };
}

function checkoutJobs(stack: Stack, run: string, from: number, count: number): Job[] {
  return Array.from({ length: count }, (_, k) => {
    const i = from + k;
    const body = JSON.stringify({ email: `buyer.${run}.${i}@example.com`, slug: 'bronze', currency: 'usdttrc20' });
    return () => post(`${stack.base}/api/payment/create`, body, { 'x-forwarded-for': `198.18.${(i >> 8) & 255}.${i & 255}` });
  });
}

function ipnJobs(stack: Stack, invoices: Invoice[]): Job[] {
  return invoices.map((inv) => {
    const p = stack.fake.payments.get(inv.paymentId)!;
    Object.assign(p, { payment_status: 'finished', actually_paid: p.pay_amount, updated_at: new Date().toISOString() });
    const body = stack.fake.ipnBody(inv.paymentId);
    const sig = signIpn(body, stack.fake.ipnSecret);
    return () => post(`${stack.base}/api/payment/webhook`, JSON.stringify(body), { 'x-nowpayments-sig': sig });
  });
}

const ms = (v: number) => `${v.toFixed(1)} ms`;

function report(phases: Phase[], pgb: Record<number, Pgbench | null>, checks: string[]): string {
  const lines = [
    '| phase | in flight | n | req/s | p50 | p99 | answers | pgbench tps (same -c), p99 | req/s ÷ tps | round trips / req | transactions / req | API CPU / req | API writes / req | PostgreSQL CPU / req |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const p of phases) {
    const b = pgb[p.inFlight];
    const statuses = Object.entries(p.statuses)
      .map(([k, v]) => `${k}×${v}`)
      .join(' ');
    lines.push(
      `| ${p.label} | ${p.inFlight} | ${p.n} | ${p.perSecond} | ${ms(p.p50)} | ${ms(p.p99)} | ${statuses} | ${b ? `${b.tps}, ${ms(b.p99)}` : '–'} | ${b ? (p.perSecond / b.tps).toFixed(3) : '–'} | ${p.queriesPerRequest.toFixed(1)} | ${p.xactsPerRequest.toFixed(2)} | ${p.cpuUsPerRequest} µs | ${p.writesPerRequest.toFixed(1)} | ${p.pgCpuUsPerRequest} µs |`,
    );
  }
  for (const p of phases) {
    lines.push('', `Round trips per request, ${p.label} (${p.inFlight} in flight):`, '');
    for (const [q, v] of p.topQueries.slice(0, 30)) lines.push(`- ${v.toFixed(2)} × \`${q.replaceAll('`', "'")}\``);
  }
  lines.push('', ...checks);
  return lines.join('\n');
}

async function main() {
  if (!args.includes('--no-build')) execFileSync('npm', ['run', 'build', '--silent'], { cwd: REPO_ROOT, stdio: 'inherit' });
  const load0 = os.loadavg();
  // Each phase is measured right after pgbench at its own concurrency: the machine's load
  // (other work on the 2 cores) changes within minutes, and the ratio is the figure.
  const pgb: Record<number, Pgbench | null> = {};
  const baseline = async (c: number) => {
    console.error(`== pgbench tpcb-like -c ${c}, 10 s`);
    pgb[c] = await pgbench(c, 10);
  };
  const countFile = path.join(mkdtempSync(path.join(os.tmpdir(), 'hq-paybench-')), 'queries.json');
  const profDir = mkdtempSync(path.join(os.tmpdir(), 'hq-paybench-prof-'));
  const stack = await startStack({
    port: await freePort(),
    name: 'hq_bench_pay',
    worker: false,
    apiNodeArgs: [
      '--import',
      path.join(REPO_ROOT, 'bench/lib/count-queries.mjs'),
      ...(args.includes('--profile') ? ['--cpu-prof', '--cpu-prof-dir', profDir] : []),
    ],
    env: { NOWPAYMENTS_PAYOUT_CURRENCY: 'usdttrc20', BENCH_QUERY_COUNT_FILE: countFile },
  });
  try {
    const stock = WARMUP + checkouts;
    for (let added = 0; added < stock; added += 500) await addSenders(stack, `s${added}`, Math.min(500, stock - added));
    const run = Date.now().toString(36);
    const invoices: Invoice[] = [];
    const keep = (b: unknown) => invoices.push(b as Invoice);
    console.error(`== checkouts: ${WARMUP} warm-up, then ${checkouts} with ${BUYERS} buyers at once`);
    const phases: Phase[] = [];
    phases.push(await measure(stack, countFile, 'checkout, cold (warm-up)', BUYERS, checkoutJobs(stack, run, 0, WARMUP), keep));
    await baseline(BUYERS);
    phases.push(await measure(stack, countFile, '`POST /api/payment/create`', BUYERS, checkoutJobs(stack, run, WARMUP, checkouts), keep));
    const half = Math.floor(invoices.length / 2);
    console.error(`== finished IPNs: ${half} at 8 in flight, ${invoices.length - half} at 32`);
    await baseline(8);
    phases.push(await measure(stack, countFile, 'distinct `finished` IPNs', 8, ipnJobs(stack, invoices.slice(0, half))));
    await baseline(32);
    phases.push(await measure(stack, countFile, 'distinct `finished` IPNs', 32, ipnJobs(stack, invoices.slice(half))));
    const { rows } = await stack.db.query<{ paid: string; jobs: string }>(
      `select (select count(*) from orders where status = 'paid') as paid,
              (select count(*) from pgboss.job where name = 'fulfil-order') as jobs`,
    );
    const checks = [
      `Checks: ${invoices.length} invoices created; orders paid ${rows[0]!.paid}, fulfil-order jobs queued ${rows[0]!.jobs} (must be equal).`,
      `Load (1/5/15 min) before: ${load0.map((l) => l.toFixed(2)).join(', ')}; after: ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(', ')}. ${os.cpus().length} CPUs, ${os.cpus()[0]?.model}, Node ${process.version}.`,
    ];
    console.log(report(phases, pgb, checks));
    if (rows[0]!.paid !== rows[0]!.jobs || Number(rows[0]!.paid) !== invoices.length) process.exitCode = 1;
  } finally {
    await stack.stop();
    const profiles = readdirSync(profDir);
    if (profiles.length) console.error(`CPU profile: ${path.join(profDir, profiles[0]!)}`);
  }
}

process.on('SIGINT', () => {
  killEverythingNow();
  process.exit(130);
});
main().catch((err) => {
  console.error(err);
  killEverythingNow();
  process.exit(1);
});

// Read API throughput beside a Fastify hello-world of the same run (issue 12).
// Usage: npm run build && npx tsx bench/read-api.ts [seconds=10] [connections=32]
// Needs PostgreSQL on 127.0.0.1:5432 (user postgres, trust); BENCH_PG overrides the server URL.
// Starts the built app (node dist/main.js, test mode) on a fresh database and a hello-world
// Fastify in its own process, buys Bronze plans through the sandbox to get customers with an
// adbot, then runs autocannon against: hello-world, GET /api/products, GET /api/user/bot.
// The bot view is polled by one customer per connection, as dashboards are
// (BENCH_USERS=n for n customers shared round-robin by the connections; 1 is the bench of
// before 2026-12-02 17:00, where every connection polled as the same customer).
// BENCH_ROLE=api runs the API in its own process with a separate worker process (the
// production layout); the default is the one-process `all` role. BENCH_NODE_ARGS adds Node
// flags to the app process, e.g. BENCH_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof', and
// BENCH_ONLY=bot (or products) profiles one route alone after the hello-world run. Beside each
// target: the server process's CPU and the bench database's PostgreSQL backends' CPU per request.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { sampleCpu } from './engine/cpu.js';

// Untyped package: imported by a computed name so the type check does not need its declarations.
const autocannon = (await import('autocannon' as string)).default as (opts: object) => Promise<any>;

const seconds = Number(process.argv[2] ?? 10);
const connections = Number(process.argv[3] ?? 32);
const serverUrl = process.env.BENCH_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const appPort = 3931;
const helloPort = 3932;
const dbName = `hq_bench_read_${Date.now().toString(36)}`;
/** Sandbox senders a test-mode install seeds (src/modules/stock/seed-sandbox-senders.ts); a Bronze plan takes one. */
const SEEDED_SENDERS = 24;

async function admin(sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: serverUrl });
  await c.connect();
  await c.query(sql);
  await c.end();
}

function start(args: string[], env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
  return child;
}

async function waitFor(url: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} never answered`);
}

async function json(method: string, url: string, body?: unknown): Promise<any> {
  const res = await fetch(url, {
    method,
    headers: body ? { 'content-type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  const out = await res.json();
  if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${JSON.stringify(out)}`);
  return out;
}

/** A customer with an adbot, bought through the sandbox checkout; returns the session token. */
async function buyBronze(base: string, n: number): Promise<string> {
  const pay = await json('POST', `${base}/api/payment/create`, { email: `bench.reader.${n}@example.com`, slug: 'bronze', currency: 'usdttrc20' });
  await json('POST', `${base}/api/payment/simulate`, { paymentId: pay.paymentId, status: 'finished' });
  for (let i = 0; i < 200; i++) {
    const s = await json('GET', `${base}/api/payment/status?paymentId=${encodeURIComponent(pay.paymentId)}`);
    if (s.orderStatus === 'fulfilled') break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const login = await json('POST', `${base}/api/auth/checkout`, { checkoutSecret: pay.checkoutSecret });
  return login.token as string;
}

/** CPU seconds (user + system) a process has used so far, from /proc (Linux). */
function cpuSeconds(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

/** Sandbox senders beyond the seeded ones, so that every bench customer can buy a plan. */
async function addSenders(env: Record<string, string>, count: number): Promise<void> {
  if (count <= 0) return;
  const cli = spawn(process.execPath, ['dist/cli.js', 'senders', 'add', '-'], { env: { ...process.env, ...env }, stdio: ['pipe', 'ignore', 'inherit'] });
  cli.stdin!.end(Array.from({ length: count }, (_, i) => `sandbox:bench_reader_${i + 1}`).join('\n'));
  const code = await new Promise((r) => cli.on('exit', r));
  if (code !== 0) throw new Error(`senders add exited with ${code}`);
}

/** Each connection keeps one of `tokens` (round-robin), as a dashboard keeps its session. */
function asCustomers(tokens: string[]): object {
  let next = 0;
  return {
    requests: [
      {
        setupRequest: (req: { headers?: Record<string, string> }, context: { token?: string }) => {
          context.token ??= tokens[next++ % tokens.length];
          return { ...req, headers: { ...req.headers, authorization: `Bearer ${context.token}` } };
        },
      },
    ],
  };
}

async function run(name: string, url: string, pid: number | undefined, extra: object = {}) {
  // A short warm-up so JIT and the connection pool are in their steady state.
  await autocannon({ url, connections, duration: 2, ...extra });
  const cpu0 = cpuSeconds(pid);
  const pgCpu = sampleCpu({ workerPids: [], database: dbName });
  const r = await autocannon({ url, connections, duration: seconds, ...extra });
  const pgMs = pgCpu.stop().pgOwnMs;
  // CPU per request of the server process: unlike req/s it hardly moves when other work
  // shares the machine.
  const cpuUs = Math.round(((cpuSeconds(pid) - cpu0) / Math.max(1, r.requests.total)) * 1e6);
  // The PostgreSQL backends of the bench database: the other half of a database read's cost.
  const pgUs = Math.round((pgMs / 1000 / Math.max(1, r.requests.total)) * 1e6);
  const bad = r.non2xx + r.errors + r.timeouts;
  return { name, reqPerSec: Math.round(r.requests.average), p50ms: r.latency.p50, p99ms: r.latency.p99, cpuUs, pgUs, bad };
}

const HELLO = `import Fastify from 'fastify';
const app = Fastify();
app.get('/', async () => ({ hello: 'world' }));
await app.listen({ port: ${helloPort}, host: '127.0.0.1' });`;

async function main() {
  await admin(`create database ${dbName}`);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'hq-bench-read-'));
  const dbUrl = new URL(serverUrl);
  dbUrl.pathname = `/${dbName}`;
  const role = process.env.BENCH_ROLE ?? 'all';
  const users = Number(process.env.BENCH_USERS ?? connections);
  // Buying a plan per customer is more checkouts a minute than the default limit allows.
  const env = { PORT: String(appPort), DATA_DIR: dataDir, DATABASE_URL: dbUrl.toString(), LOG_LEVEL: 'warn', RATE_LIMIT_CHECKOUT_PER_MINUTE: '1000' };
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const app = start([...nodeArgs, 'dist/main.js', role], env);
  const worker = role === 'api' ? start(['dist/main.js', 'worker'], env) : undefined;
  const hello = start(['--input-type=module', '-e', HELLO], {});
  const stop = () => {
    app.kill();
    worker?.kill();
    hello.kill();
  };
  try {
    const base = `http://127.0.0.1:${appPort}`;
    await waitFor(`${base}/api/health`);
    await waitFor(`http://127.0.0.1:${helloPort}/`);
    await addSenders(env, users - SEEDED_SENDERS);
    const tokens: string[] = [];
    for (let i = 0; i < users; i += 8) {
      const batch = Array.from({ length: Math.min(8, users - i) }, (_, j) => buyBronze(base, i + j));
      tokens.push(...(await Promise.all(batch)));
    }
    const results = [];
    results.push(await run('hello-world', `http://127.0.0.1:${helloPort}/`, hello.pid));
    const only = process.env.BENCH_ONLY;
    if (only !== 'bot') results.push(await run('GET /api/products', `${base}/api/products`, app.pid));
    if (only !== 'products') results.push(await run('GET /api/user/bot', `${base}/api/user/bot`, app.pid, asCustomers(tokens)));
    const base0 = results[0]!.reqPerSec;
    console.log(
      `role ${role}, ${seconds} s per target, ${connections} connections, bot view as ${users} customers, ${os.cpus().length} CPUs, Node ${process.version}`,
    );
    console.log(
      `load average ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
    console.log('| target | req/s | p50 | p99 | × hello-world | server CPU per request | PostgreSQL CPU per request | non-2xx/errors |');
    console.log('|---|---|---|---|---|---|---|---|');
    for (const r of results) {
      console.log(
        `| ${r.name} | ${r.reqPerSec.toLocaleString('en')} | ${r.p50ms} ms | ${r.p99ms} ms | ${(r.reqPerSec / base0).toFixed(3)} | ${r.cpuUs} µs | ${r.pgUs} µs | ${r.bad} |`,
      );
    }
    if (results.some((r) => r.bad > 0)) throw new Error('some answers were not 2xx: the figures are not valid');
  } finally {
    stop();
    await new Promise((r) => setTimeout(r, 500));
    await admin(`drop database if exists ${dbName} with (force)`);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});

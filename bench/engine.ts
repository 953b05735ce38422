// Issue 10's engine benchmark: N running adbots × C chats on one interval, posted by the
// built worker process(es) on PostgreSQL to a fast fake Bot API on loopback, beside
// `pgbench -b simple-update` measured in the same run (workers stopped).
// Usage: npx tsx bench/engine.ts [--adbots 2000] [--chats 10] [--interval 60] [--workers 1]
//          [--seconds 180] [--warmup 30] [--cold] [--matrix] [--keep] [--no-build] [--label TEXT]
// --cold: every chat due at once (peak drain) instead of first due times spread over one interval.
// --matrix: 200 / 2,000 / 10,000 adbots × 1 and 2 workers, then 2,000 cold with 1 and 2 workers.
// Prints one markdown table row per configuration on stdout, progress on stderr.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, openSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { type CpuWindow, sampleCpu } from './engine/cpu.js';
import { startFakeBotApi } from './engine/fake-process.js';
import { pgbenchSimpleUpdate, type SimpleUpdate } from './engine/pgbench.js';
import { BENCH_DB, dbUrl, dropDatabase, migrate, provisionFleet, recreateDatabase, scheduleFirstPosts } from './engine/provision.js';
import { HEADER, type Row, row } from './engine/report.js';
import { collectResults, MISSED_TOLERANCE_S } from './engine/results.js';
import { freePort, killEverythingNow, killGently, REPO_ROOT, track } from './hostile/stack.js';

type Config = { adbots: number; chats: number; interval: number; workers: number; seconds: number; warmup: number; cold: boolean };

const argv = process.argv.slice(2);
const flag = (name: string) => argv.includes(`--${name}`);
const option = (name: string, fallback: number) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? Number(argv[i + 1]) : fallback;
};
const label = argv.includes('--label') ? argv[argv.indexOf('--label') + 1]! : '';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const log = (msg: string) => console.error(`[${new Date().toISOString().slice(11, 19)}] ${msg}`);

// BENCH_NODE_ARGS adds Node flags to the workers, e.g. '--cpu-prof --cpu-prof-dir=/tmp/prof'.
const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);

function spawnWorker(env: NodeJS.ProcessEnv, logDir: string, n: number, port: number): ChildProcess {
  const out = openSync(path.join(logDir, `worker-${n}.log`), 'a');
  return track(
    spawn(process.execPath, [...nodeArgs, 'dist/main.js', 'worker'], {
      cwd: REPO_ROOT,
      env: { ...env, WORKER_METRICS_PORT: String(port) },
      stdio: ['ignore', out, out],
    }),
  );
}

/** pino lines at level error or worse in the workers' logs: a run with errors is no measurement. */
function errorLines(logDir: string, workers: number): number {
  let n = 0;
  for (let i = 0; i < workers; i++) {
    const text = readFileSync(path.join(logDir, `worker-${i}.log`), 'utf8');
    n += text.split('\n').filter((l) => /"level":(50|60)/.test(l)).length;
  }
  return n;
}

async function runOne(cfg: Config): Promise<Row> {
  const load = os.loadavg()[0]!;
  const logDir = mkdtempSync(path.join(os.tmpdir(), 'hq-bench-engine-'));
  const encryptionKey = randomBytes(32).toString('hex');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: dbUrl(BENCH_DB),
    DATA_DIR: logDir,
    ENCRYPTION_KEY: encryptionKey,
    JWT_SECRET: randomBytes(32).toString('hex'),
    LOG_LEVEL: 'warn',
    SMTP_URL: '',
    PORT: String(await freePort()),
  };
  log(`${cfg.adbots} × ${cfg.chats} chats, ${cfg.interval} s, ${cfg.workers} worker(s), ${cfg.cold ? 'cold' : 'spread'}: database, migrations, fleet`);
  await recreateDatabase(BENCH_DB);
  await migrate(env);
  const db = new pg.Pool({ connectionString: env.DATABASE_URL, max: 4 });
  try {
    await provisionFleet({ db, adbots: cfg.adbots, chats: cfg.chats, interval: cfg.interval, encryptionKey });
    log('pgbench -b simple-update, 15 s');
    const pgb: SimpleUpdate = await pgbenchSimpleUpdate();
    const fake = await startFakeBotApi();
    const workers: ChildProcess[] = [];
    let cpu: CpuWindow;
    const start = new Date(Date.now() + 3000);
    await scheduleFirstPosts({ db, start, cold: cfg.cold });
    try {
      const workerEnv = { ...env, TELEGRAM_API_ROOT: fake.apiRoot, PUBLIC_URL: `http://127.0.0.1:${env.PORT}` };
      for (let i = 0; i < cfg.workers; i++) workers.push(spawnWorker(workerEnv, logDir, i, await freePort()));
      await sleep(start.getTime() + cfg.warmup * 1000 - Date.now());
      log(`measuring ${cfg.seconds} s (warm-up ${cfg.warmup} s done)`);
      const t0 = new Date();
      const sampler = sampleCpu({ workerPids: workers.map((w) => w.pid!), database: BENCH_DB });
      await sleep(cfg.seconds * 1000);
      cpu = sampler.stop();
      const t1 = new Date();
      // A slot due just before the window's end is still served, up to MISSED_TOLERANCE_S late:
      // the workers run on for that long (outside the CPU sample) so "missed" means missed.
      await sleep(MISSED_TOLERANCE_S * 1000 + 500);
      await Promise.all(workers.map((w) => killGently(w)));
      const sends = await fake.sends();
      const stats = await fake.stats();
      const results = await collectResults({ db, window: { start, t0, t1, interval: cfg.interval, chats: cfg.adbots * cfg.chats }, sends });
      return { cfg, label, results, cpu, pgbench: pgb, calls: stats.calls, errors: errorLines(logDir, cfg.workers), load, logDir };
    } finally {
      await Promise.all(workers.map((w) => killGently(w)));
      await fake.stop();
    }
  } finally {
    await db.end();
    if (!flag('keep')) await dropDatabase(BENCH_DB);
  }
}

function configs(): Config[] {
  const base = { chats: option('chats', 10), interval: option('interval', 60), seconds: option('seconds', 180), warmup: option('warmup', 30) };
  if (!flag('matrix')) return [{ ...base, adbots: option('adbots', 2000), workers: option('workers', 1), cold: flag('cold') }];
  const spread = [200, 2000, 10000].flatMap((adbots) => [1, 2].map((workers) => ({ ...base, adbots, workers, cold: false })));
  // The drain is over once every chat has had its first post: 90 s is enough from 0.2 × demand up.
  const cold = [1, 2].map((workers) => ({ ...base, adbots: 2000, workers, cold: true, warmup: 0, seconds: Math.min(base.seconds, 90) }));
  return [...spread, ...cold];
}

async function main() {
  if (!flag('no-build')) execFileSync('npm', ['run', 'build:server', '--silent'], { cwd: REPO_ROOT, stdio: 'inherit' });
  let build = 'not a git checkout';
  try {
    build = execFileSync('git', ['log', '-1', '--format=%h %s'], { cwd: REPO_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {}
  console.error(`build: ${build}; ${os.cpus().length} CPUs, Node ${process.version}`);
  console.log(HEADER);
  for (const cfg of configs()) {
    const r = await runOne(cfg);
    console.log(row(r));
    log(`done: worker log ${r.logDir}, ${r.errors} error lines, calls ${JSON.stringify(r.calls)}`);
  }
}

process.on('SIGINT', () => {
  killEverythingNow();
  try {
    execFileSync('psql', ['-h', '127.0.0.1', '-U', 'postgres', '-qc', `drop database if exists ${BENCH_DB} with (force)`, 'postgres']);
  } catch {
    console.error(`could not drop ${BENCH_DB}`);
  }
  process.exit(130);
});
main().catch((err) => {
  console.error(err);
  killEverythingNow();
  process.exit(1);
});

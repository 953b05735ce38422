// The system under test for bench/hostile.ts: a fresh PostgreSQL database, the built app as
// separate `api` and `worker` processes in real NOWPayments mode against the fake, and
// the means to restart the API when an attack leaves it unresponsive.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, openSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { type FakeNowPayments, startFakeNowPayments } from '../../test/fakes/nowpayments.js';
import { send } from './traffic.js';

export const REPO_ROOT = path.resolve(import.meta.dirname, '../..');
export const PG_SERVER = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export type Stack = {
  base: string;
  dbUrl: string;
  db: pg.Pool;
  fake: FakeNowPayments;
  adminCode: string;
  logDir: string;
  apiRestarts: number;
  /** The API process now (it changes on restartApi). */
  api(): ChildProcess;
  /** Kills the API process (SIGKILL: it may be stuck in a computation) and starts a new one. */
  restartApi(): Promise<void>;
  waitHealthy(timeoutMs: number): Promise<boolean>;
  stop(): Promise<void>;
};

/** Every process started here, so an interrupted run can still kill them (see killEverythingNow). */
const children = new Set<ChildProcess>();
const databases = new Set<string>();

/** Last resort on SIGINT or the watchdog: SIGKILL our children and drop our database, synchronously. */
export function killEverythingNow(): void {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  const server = new URL(PG_SERVER);
  for (const name of databases) {
    try {
      execFileSync('psql', [
        '-h',
        server.hostname,
        '-U',
        decodeURIComponent(server.username || 'postgres'),
        '-qc',
        `drop database if exists ${name} with (force)`,
        'postgres',
      ]);
    } catch {
      // best effort: the name is printed so it can be dropped by hand
      console.error(`could not drop database ${name}`);
    }
  }
}

export function track(child: ChildProcess): ChildProcess {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

/** A port nothing listens on right now (the OS picks it), so parallel runs and other services do not collide. */
export async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const { port } = srv.address() as AddressInfo;
  await new Promise((r) => srv.close(r));
  return port;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function withServer<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: PG_SERVER });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

export type StackOptions = {
  port: number;
  /** Database name prefix (default hq_bench_hostile). */
  name?: string;
  /** Start a worker process too (default true); without one, queued jobs stay queued. */
  worker?: boolean;
  /** Node flags for the API process (e.g. --cpu-prof, a query-counting --import). */
  apiNodeArgs?: string[];
  env?: NodeJS.ProcessEnv;
};

export async function startStack(opts: StackOptions): Promise<Stack> {
  const name = `${opts.name ?? 'hq_bench_hostile'}_${process.pid}`;
  await withServer(async (c) => {
    await c.query(`drop database if exists ${name} with (force)`);
    await c.query(`create database ${name}`);
  });
  databases.add(name);
  const url = new URL(PG_SERVER);
  url.pathname = `/${name}`;
  const dbUrl = url.toString();
  const fake = await startFakeNowPayments();
  const logDir = mkdtempSync(path.join(os.tmpdir(), 'hq-hostile-'));
  const base = `http://127.0.0.1:${opts.port}`;
  const adminCode = `bench-admin-${randomBytes(12).toString('hex')}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...fake.env(),
    PORT: String(opts.port),
    HOST: '127.0.0.1',
    PUBLIC_URL: base,
    DATABASE_URL: dbUrl,
    DATA_DIR: logDir,
    // Both processes must share them; left unset, each would generate its own on first start.
    JWT_SECRET: randomBytes(32).toString('hex'),
    ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    ADMIN_ACCESS_CODE: adminCode,
    // Nothing may leave the machine: sandbox senders never call Telegram, and this port is closed.
    TELEGRAM_API_ROOT: 'http://127.0.0.1:9',
    SMTP_URL: '',
    LOG_LEVEL: 'warn',
    JOB_POLL_SECONDS: '0.5',
    // The battery measures stock and the webhook's own handling, not the per-address limiters.
    RATE_LIMIT_CHECKOUT_PER_MINUTE: '1000000',
    RATE_LIMIT_WEBHOOK_PER_MINUTE: '1000000',
    ...opts.env,
  };
  const spawnRole = (role: 'api' | 'worker', n: number): ChildProcess => {
    const log = openSync(path.join(logDir, `${role}-${n}.log`), 'a');
    const args = [...(role === 'api' ? (opts.apiNodeArgs ?? []) : []), 'dist/main.js', role];
    return track(spawn(process.execPath, args, { cwd: REPO_ROOT, env, stdio: ['ignore', log, log] }));
  };

  let api = spawnRole('api', 0);
  const worker = opts.worker === false ? null : spawnRole('worker', 0);
  const db = new pg.Pool({ connectionString: dbUrl, max: 4 });
  const stack: Stack = {
    base,
    dbUrl,
    db,
    fake,
    adminCode,
    logDir,
    apiRestarts: 0,
    api: () => api,
    async waitHealthy(timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const r = await send({ url: `${base}/api/health` }, Math.min(2000, Math.max(100, deadline - Date.now())));
        if (r.status === 200) return true;
        await sleep(200);
      }
      return false;
    },
    async restartApi() {
      stack.apiRestarts++;
      await killHard(api);
      api = spawnRole('api', stack.apiRestarts);
      if (!(await stack.waitHealthy(30_000))) throw new Error(`the restarted API did not come up: see ${logDir}`);
    },
    async stop() {
      await Promise.all([killGently(api), worker ? killGently(worker) : undefined]);
      await db.end().catch(() => {});
      await fake.close();
      await withServer((c) => c.query(`drop database if exists ${name} with (force)`));
      databases.delete(name);
    },
  };
  if (!(await stack.waitHealthy(60_000))) {
    await stack.stop();
    throw new Error(`the app did not come up within 60 s: see ${logDir}`);
  }
  return stack;
}

async function killHard(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGKILL');
  await exited;
}

/** SIGTERM (the app closes cleanly), SIGKILL after 5 s if it is stuck. */
export async function killGently(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

/** Admin session, then `count` sandbox senders into stock through the admin API (getMe answers locally for them). */
export async function addSenders(stack: Stack, tag: string, count: number): Promise<number> {
  const login = await fetch(`${stack.base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ accessCode: stack.adminCode }),
  });
  const { token } = (await login.json()) as { token: string };
  const res = await fetch(`${stack.base}/api/admin/senders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ tokens: Array.from({ length: count }, (_, i) => `sandbox:bench_${tag}_${i}`) }),
  });
  const body = (await res.json()) as { added?: number };
  if (res.status !== 200 || body.added !== count) throw new Error(`adding ${count} senders: ${res.status} ${JSON.stringify(body)}`);
  return count;
}

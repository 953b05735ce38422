// A real app for integration tests: real database (in-memory PGlite, or a fresh database
// on the PostgreSQL server when DATABASE_URL is set), real job worker, real HTTP on a free port.
import { mkdirSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import pino from 'pino';
import { beforeEach, expect } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { type AppRuntime, closeContext, createContext } from '../../src/context.js';
import { buildApp } from '../../src/http/app.js';
import { jobHandlers } from '../../src/jobs/handlers.js';
import { createLogger } from '../../src/lib/logger.js';
import { type EngineLoop, startEngineLoop } from '../../src/modules/engine/start-engine-loop.js';
import { startWorkerHeartbeat, type WorkerHeartbeat } from '../../src/platform/worker-heartbeat.js';
import { onStartup } from '../../src/startup.js';

// Quiet tests: app logs and the first-admin banner go to one file per test file (stdout
// only with TEST_LOG_LEVEL set), and a failing test prints where that file is.
const logFiles = new Set<string>();
beforeEach(({ onTestFailed }) => {
  onTestFailed(() => {
    if (logFiles.size) console.error(`app logs of this test file: ${[...logFiles].join(', ')}`);
  });
});

function testLogFile(): string {
  const dir = path.resolve('test-results/logs');
  mkdirSync(dir, { recursive: true });
  const testPath = expect.getState().testPath ?? `pid-${process.pid}`;
  return path.join(dir, `${path.basename(testPath).replace(/\.ts$/, '')}.log`);
}

export type TestApp = {
  ctx: AppRuntime;
  app: FastifyInstance;
  url: string;
  /** What start-up printed (the first admin's banner), kept out of the test output. */
  printed: string[];
  /** fetch against the app, JSON in and out. */
  api(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<ApiResponse>;
  close(): Promise<void>;
};

export type ApiResponse = { status: number; body: any; headers: Headers };

export type StartTestAppOptions = {
  env?: Record<string, string>;
  /** Run job handlers in this process (default true). */
  worker?: boolean;
  /** Run the posting engine's tick loop (default false: tests drive ticks with their own clock). */
  engine?: boolean;
  /** Use this PostgreSQL database as it is (shared with other processes, or through a proxy); the caller drops it. */
  databaseUrl?: string;
};

export async function createServerDatabase(baseUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `hq_test_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: baseUrl });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

export async function startTestApp(opts: StartTestAppOptions = {}): Promise<TestApp> {
  const serverUrl = process.env.DATABASE_URL;
  const serverDb = opts.databaseUrl ? { url: opts.databaseUrl, drop: async () => {} } : serverUrl ? await createServerDatabase(serverUrl) : undefined;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'hqadz-test-'));
  const config = loadConfig({
    DATA_DIR: dataDir,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'info',
    JOB_POLL_SECONDS: '0.5',
    // Tests play many clients from one address through X-Forwarded-For, as behind a proxy on this host.
    TRUST_PROXY: '127.0.0.1',
    ...(serverDb ? { DATABASE_URL: serverDb.url } : {}),
    ...opts.env,
  });
  const logFile = process.env.TEST_LOG_LEVEL ? undefined : testLogFile();
  // A fresh file per run of a test file; the apps a file starts after the first append to it.
  const destination = logFile ? pino.destination({ dest: logFile, append: logFiles.has(logFile), sync: true }) : undefined;
  if (logFile) logFiles.add(logFile);
  const log = createLogger(config.logLevel, destination);
  const printed: string[] = [];
  const ctx = await createContext({ config, log, inMemory: !serverDb });
  await onStartup(ctx, {
    print: (text) => {
      printed.push(text);
      log.info({ printed: text }, 'start-up output');
    },
  });
  let heartbeat: WorkerHeartbeat | undefined;
  if (opts.worker !== false) {
    await ctx.queue.work(jobHandlers(ctx));
    heartbeat = await startWorkerHeartbeat({ ctx });
  }
  const engine: EngineLoop | undefined = opts.engine ? startEngineLoop({ ctx, idleMs: 500 }) : undefined;
  const app = await buildApp(ctx);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const url = `http://127.0.0.1:${port}`;
  if (!opts.env?.PUBLIC_URL) ctx.config.publicUrl = url;

  return {
    ctx,
    app,
    url,
    printed,
    async api(method, p, body, headers = {}) {
      const res = await fetch(url + p, {
        method,
        headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
        ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
      });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        // not JSON: keep the text
      }
      return { status: res.status, body: parsed, headers: res.headers };
    },
    async close() {
      await app.close();
      await engine?.stop();
      await heartbeat?.stop();
      await closeContext(ctx);
      await serverDb?.drop();
    },
  };
}

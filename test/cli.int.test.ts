// The operator CLI as an operator runs it: a child process on the configured database (a
// fresh PostgreSQL database with DATABASE_URL, else an embedded one in a DATA_DIR), checked
// through the real app's HTTP API.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { commands } from '../src/cli/run-cli.js';
import { loadConfig } from '../src/config.js';
import { type AppContext, closeContext, createContext } from '../src/context.js';
import { buildApp } from '../src/http/app.js';
import { createLogger } from '../src/lib/logger.js';
import { onStartup } from '../src/startup.js';
import { FakeTelegram } from './fakes/telegram.js';
import { createServerDatabase } from './helpers/test-app.js';

const tsx = path.resolve('node_modules/.bin/tsx');
const serverUrl = process.env.DATABASE_URL;
const ADMIN_CODE = 'HQ-CLI-TEST-FIRST-ADMIN-0001';
const ENCRYPTION_KEY = 'ab'.repeat(32);

type Run = { code: number | null; stdout: string; stderr: string };

/** Runs `hqadz ARGS` as a child process; async, so fakes in this process keep answering. */
function hqadz(args: string[], env: Record<string, string>): Promise<Run> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'warn', ...env };
  if (!env.DATABASE_URL) delete childEnv.DATABASE_URL;
  return new Promise((resolve, reject) => {
    const child = spawn(tsx, ['src/cli/main.ts', ...args], { env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

type Target = { env: Record<string, string>; embedded: boolean; drop(): Promise<void> };

/** Where the app and the CLI meet: a fresh server database, or a fresh DATA_DIR. */
async function freshTarget(): Promise<Target> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'hqadz-cli-'));
  const base = { DATA_DIR: dataDir, ENCRYPTION_KEY, JOB_POLL_SECONDS: '0.5' };
  if (!serverUrl) return { env: base, embedded: true, drop: async () => {} };
  const db = await createServerDatabase(serverUrl);
  return { env: { ...base, DATABASE_URL: db.url }, embedded: false, drop: () => db.drop() };
}

type RunningApp = { ctx: AppContext; url: string; close(): Promise<void> };

/** The real app on the target, as `node dist/main.js api` would run it. */
async function startApp(target: Target, env: Record<string, string> = {}): Promise<RunningApp> {
  const config = loadConfig({ ...target.env, LOG_LEVEL: 'silent', ...env });
  const ctx = await createContext({ config, log: createLogger(config.logLevel) });
  await onStartup(ctx);
  const app = await buildApp(ctx);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  return {
    ctx,
    url,
    async close() {
      await app.close();
      await closeContext(ctx);
    },
  };
}

async function logIn(app: RunningApp, accessCode: string): Promise<{ status: number; role?: string }> {
  const res = await fetch(`${app.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ accessCode }),
  });
  const body = (await res.json()) as { role?: string };
  return { status: res.status, ...(body.role ? { role: body.role } : {}) };
}

function printedCode(run: Run): string {
  const m = /^Access code: (\S+)$/m.exec(run.stdout);
  if (!m) throw new Error(`no access code printed: ${run.stdout}${run.stderr}`);
  return m[1]!;
}

describe('operator CLI', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  it('--help lists every command', async () => {
    const run = await hqadz(['--help'], {});
    expect(run.code).toBe(0);
    expect(commands.length).toBe(8);
    for (const c of commands) expect(run.stdout).toContain(`hqadz ${c.name}`);
    for (const name of ['admin create', 'admin rotate-code', 'senders add', 'stock', 'orders stuck', 'payments replay', 'jobs retry', 'migrate']) {
      expect(run.stdout).toContain(`hqadz ${name}`);
    }
    const unknown = await hqadz(['frobnicate'], {});
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown command');
  });

  it('admin rotate-code gives a code that logs in, and the old one is refused', { timeout: 240_000 }, async () => {
    const target = await freshTarget();
    cleanups.push(() => target.drop());
    let app = await startApp(target, { ADMIN_ACCESS_CODE: ADMIN_CODE });
    cleanups.push(() => app.close());
    expect(await logIn(app, ADMIN_CODE)).toEqual({ status: 200, role: 'admin' });
    // The embedded database is one process's: there the server stops for the CLI and
    // restarts after; on PostgreSQL it keeps running, as in production.
    if (target.embedded) await app.close();

    // The first admin has no email: rotate-code without one is the way back in.
    const rotated = await hqadz(['admin', 'rotate-code'], target.env);
    expect(rotated.code, rotated.stderr).toBe(0);
    // A named admin: created with a code, then rotated by email. Skipped on the embedded
    // engine, where each command opens the database from disk (slow); the use cases are
    // tested on both engines in cli-use-cases.int.test.ts.
    const named = !target.embedded;
    const created = named ? await hqadz(['admin', 'create', 'Ops@Example.com'], target.env) : undefined;
    expect(created?.code ?? 0, created?.stderr).toBe(0);
    const again = named ? await hqadz(['admin', 'rotate-code', 'ops@example.com'], target.env) : undefined;
    expect(again?.code ?? 0, again?.stderr).toBe(0);

    if (target.embedded) app = await startApp(target);
    const newCode = printedCode(rotated);
    expect(newCode).not.toBe(ADMIN_CODE);
    expect(await logIn(app, newCode)).toEqual({ status: 200, role: 'admin' });
    expect((await logIn(app, ADMIN_CODE)).status).toBe(401);
    if (created && again) {
      expect(await logIn(app, printedCode(again))).toEqual({ status: 200, role: 'admin' });
      expect((await logIn(app, printedCode(created))).status).toBe(401);
    }
  });

  it('senders add reports each line of a file with good and bad tokens', { timeout: 240_000 }, async () => {
    const telegram = await new FakeTelegram().start();
    cleanups.push(() => telegram.close());
    const good1 = `7000000001:${'A'.repeat(35)}`;
    const good2 = `7000000002:${'B'.repeat(35)}`;
    const revoked = `7000000003:${'C'.repeat(35)}`;
    telegram.addBot(good1, { id: 7000000001, username: 'cli_good_one_bot' });
    telegram.addBot(good2, { id: 7000000002, username: 'cli_good_two_bot' });
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'hqadz-tokens-')), 'tokens.txt');
    writeFileSync(file, ['# pasted from BotFather', good1, 'not-a-token', '', revoked, good2, good1].join('\n'));

    const target = await freshTarget();
    cleanups.push(() => target.drop());
    const env = { ...target.env, TELEGRAM_API_ROOT: telegram.url };
    const run = await hqadz(['senders', 'add', file], env);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1); // some lines were refused
    const lines = run.stdout.trim().split('\n');
    expect(lines).toHaveLength(6);
    expect(lines[0]).toMatch(/^line 2: 7000…AAAA added @cli_good_one_bot$/);
    expect(lines[1]).toMatch(/^line 3: .* rejected: Not a bot token/);
    expect(lines[2]).toMatch(/^line 5: 7000…CCCC rejected: Telegram rejected this token/);
    expect(lines[3]).toMatch(/^line 6: 7000…BBBB added @cli_good_two_bot$/);
    expect(lines[4]).toMatch(/^line 7: 7000…AAAA rejected: Listed twice/);
    expect(lines[5]).toBe('2 added, 3 rejected');
    // getMe once per distinct well-formed token; a full token is never printed.
    expect(
      telegram
        .callsOf('getMe')
        .map((c) => c.token)
        .sort(),
    ).toEqual([good1, good2, revoked].sort());
    expect(run.stdout).not.toContain(good1);

    const stock = await hqadz(['stock'], env);
    expect(stock.code, stock.stderr).toBe(0);
    expect(stock.stdout).toMatch(/^unused +2$/m);
  });

  it.skipIf(!serverUrl)('senders add on PostgreSQL refuses to encrypt with a key the server may not have', async () => {
    const target = await freshTarget();
    cleanups.push(() => target.drop());
    const { ENCRYPTION_KEY: _, ...env } = target.env;
    const file = path.join(target.env.DATA_DIR!, 'tokens.txt');
    writeFileSync(file, 'sandbox:cli_key_check\n');
    const run = await hqadz(['senders', 'add', file], { ...env, DATA_DIR: path.join(target.env.DATA_DIR!, 'elsewhere') });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('ENCRYPTION_KEY is not set');
  });

  it.skipIf(!!serverUrl)('refuses the embedded database while the server holds DATA_DIR', { timeout: 240_000 }, async () => {
    const target = await freshTarget();
    const app = await startApp(target);
    let open = true;
    cleanups.push(async () => {
      if (open) await app.close();
    });
    const refused = await hqadz(['stock'], target.env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`the server is running on DATA_DIR=${target.env.DATA_DIR}`);
    expect(refused.stderr).toContain('stop it or use DATABASE_URL');
    expect(refused.stdout).toBe('');

    await app.close();
    open = false;
    const run = await hqadz(['stock'], target.env);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^available +\d+/m);
  });
});

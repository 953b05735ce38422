// The real entry point as a user runs it: start-up errors, and data that survives a restart.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const tsx = path.resolve('node_modules/.bin/tsx');
const baseEnv = () => {
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'warn', ADMIN_ACCESS_CODE: 'HQ-TEST-ADMIN-CODE-0001' };
  delete env.DATABASE_URL; // the embedded database is what a restart must keep
  return env;
};

describe('main', () => {
  let child: ChildProcess | undefined;
  afterEach(() => {
    child?.kill('SIGKILL');
    child = undefined;
  });

  it('stops on a bad environment value with one line naming it', () => {
    const r = spawnSync(tsx, ['src/main.ts'], { env: { ...baseEnv(), PORT: 'abc' }, encoding: 'utf8', timeout: 30_000 });
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toBe('Invalid PORT="abc": must be a port number (0-65535)');
  });

  it('keeps its data across a restart and does not duplicate the plans', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'hqadz-main-'));
    const port = 3600 + Math.floor(Math.random() * 300);
    const start = async () => {
      child = spawn(tsx, ['src/main.ts'], { env: { ...baseEnv(), PORT: String(port), DATA_DIR: dataDir }, stdio: 'ignore' });
      for (let i = 0; i < 300; i++) {
        try {
          const res = await fetch(`http://127.0.0.1:${port}/api/products`);
          if (res.ok) return (await res.json()) as { products: { id: string; slug: string }[] };
        } catch {
          // not listening yet
        }
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error('app did not start');
    };
    const stop = async () => {
      const c = child!;
      const exited = new Promise((r) => c.once('exit', r));
      c.kill('SIGTERM');
      await exited;
      child = undefined;
    };

    const first = await start();
    expect(first.products).toHaveLength(7);
    await stop();
    const second = await start();
    expect(second.products.map((p) => p.id)).toEqual(first.products.map((p) => p.id));
    await stop();
  });
});

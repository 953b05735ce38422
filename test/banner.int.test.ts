// A fresh install's first start: the first admin code is printed in a framed banner, and it
// is still the last thing on screen after the first page's requests (no per-request lines).
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';

const tsx = path.resolve('node_modules/.bin/tsx');

describe('first start banner', () => {
  let child: ChildProcess | undefined;
  afterEach(() => {
    child?.kill('SIGKILL');
    child = undefined;
  });

  it('shows the generated admin code framed, and nothing per request pushes it off screen', async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'hqadz-banner-')) };
    for (const k of ['DATABASE_URL', 'ADMIN_ACCESS_CODE', 'LOG_LEVEL', 'LOG_REQUESTS']) delete env[k];
    const port = 3900 + Math.floor(Math.random() * 90);
    env.PORT = String(port);
    let out = '';
    child = spawn(tsx, ['src/main.ts'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', (d) => {
      out += String(d);
    });
    const base = `http://127.0.0.1:${port}`;
    await vi.waitFor(() => expect(out).toContain('HQAdz ready'), { timeout: 100_000, interval: 100 });

    // What the first page load asks for.
    const paths = ['/api/meta', '/api/products', '/api/payment/currencies', ...(existsSync('dist/web/index.html') ? ['/'] : [])];
    for (const p of paths) expect((await fetch(base + p)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 300)); // let any request line reach the pipe

    const lines = out.trimEnd().split('\n');
    const bottom = lines.findLastIndex((l) => /^╚═+╝$/.test(l));
    expect(bottom).toBeGreaterThan(0);
    const top = lines.findLastIndex((l) => /^╔═+╗$/.test(l));
    expect(lines.slice(top, bottom + 1).join('\n')).toMatch(/║ {2}Admin access code: HQ-[0-9A-Z-]+ +║/);
    // Below the banner: only the listening and ready lines, none per request.
    const after = lines.slice(bottom + 1).filter((l) => l.trim());
    expect(after.length).toBeLessThanOrEqual(4);
    for (const l of after) expect(l).toMatch(/Server listening at|HQAdz ready at/);
  }, 120_000); // a cold start on the embedded database is slow on a busy machine
});

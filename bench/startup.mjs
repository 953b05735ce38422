// Cold start-to-ready time and idle memory of the built app (`npm run build` first).
// Usage: node bench/startup.mjs [runs=5]   (add DATABASE_URL to measure on PostgreSQL)
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const runs = Number(process.argv[2] ?? 5);
const port = 3900;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function waitReady(deadline) {
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/api/products`);
      if (res.ok) return true;
    } catch {}
    await sleep(20);
  }
  return false;
}

function rssMiB(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)[1]) / 1024;
}

async function once(dataDir) {
  const started = performance.now();
  const child = spawn(process.execPath, ['dist/main.js'], {
    env: { ...process.env, PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const ok = await waitReady(Date.now() + 60_000);
  const readyMs = performance.now() - started;
  if (!ok) throw new Error('not ready in 60 s');
  await sleep(10_000);
  const rss = rssMiB(child.pid);
  child.kill('SIGTERM');
  await new Promise((r) => child.on('exit', r));
  return { readyMs, rss };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const cold = [];
const warm = [];
for (let i = 0; i < runs; i++) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hqadz-bench-'));
  cold.push(await once(dir)); // first start: creates the database, migrates, seeds
  warm.push(await once(dir)); // restart on the same data
  rmSync(dir, { recursive: true, force: true });
}
const fmt = (xs) =>
  `ready median ${median(xs.map((x) => x.readyMs)).toFixed(0)} ms (min ${Math.min(...xs.map((x) => x.readyMs)).toFixed(0)}, max ${Math.max(...xs.map((x) => x.readyMs)).toFixed(0)}), idle RSS median ${median(xs.map((x) => x.rss)).toFixed(1)} MiB`;
console.log(
  `database: ${process.env.DATABASE_URL ? 'postgres' : 'embedded'}; runs: ${runs}; node ${process.version}; ${os.cpus().length} × ${os.cpus()[0].model}`,
);
console.log(`cold (new DATA_DIR): ${fmt(cold)}`);
console.log(`warm (restart):      ${fmt(warm)}`);

// Baselines measured in the same run as bench/hostile.ts: a Fastify hello-world and the
// app's /api/health under autocannon (the machine's HTTP ceiling and the app's distance from
// it), and pgbench tpcb-like (the database ceiling the checkout figure is bound by).
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { killGently, PG_SERVER, REPO_ROOT, track, withServer } from './stack.js';
import { percentile } from './traffic.js';

const run = promisify(execFile);

export type Autocannon = { url: string; connections: number; seconds: number; reqPerSec: number; p50: number; p99: number; non2xx: number; errors: number };

/** autocannon's CLI (the package has no types) with JSON output. */
export async function autocannon(url: string, connections = 32, seconds = 8): Promise<Autocannon> {
  const bin = path.join(REPO_ROOT, 'node_modules/.bin/autocannon');
  const { stdout } = await run(bin, ['-j', '-c', String(connections), '-d', String(seconds), url], { maxBuffer: 16 * 1024 * 1024 });
  const r = JSON.parse(stdout) as {
    requests: { average: number };
    latency: { p50: number; p99: number };
    non2xx: number;
    errors: number;
  };
  return { url, connections, seconds, reqPerSec: Math.round(r.requests.average), p50: r.latency.p50, p99: r.latency.p99, non2xx: r.non2xx, errors: r.errors };
}

export async function helloWorld(port: number): Promise<Autocannon> {
  const child = track(
    spawn(process.execPath, [path.join(REPO_ROOT, 'bench/hello-world.mjs')], {
      cwd: REPO_ROOT,
      env: { ...process.env, PORT: String(port) },
      stdio: ['ignore', 'pipe', 'inherit'],
    }),
  );
  try {
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on('data', (d: Buffer) => d.toString().includes('ready') && resolve());
      child.once('exit', (code) => reject(new Error(`hello-world exited with ${code}`)));
    });
    return await autocannon(`http://127.0.0.1:${port}/`);
  } finally {
    await killGently(child);
  }
}

export type Pgbench = { clients: number; seconds: number; tps: number; p50: number; p99: number };

/** pgbench tpcb-like at scale 10 on its own throw-away database; null when pgbench is missing. */
export async function pgbench(clients = 10, seconds = 10): Promise<Pgbench | null> {
  const name = `hq_bench_hostile_pgb_${process.pid}`;
  const server = new URL(PG_SERVER);
  const conn = ['-h', server.hostname, '-p', server.port || '5432', '-U', decodeURIComponent(server.username || 'postgres')];
  try {
    await run('pgbench', ['--version']);
  } catch {
    return null;
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hq-pgb-'));
  await withServer((c) => c.query(`drop database if exists ${name} with (force)`).then(() => c.query(`create database ${name}`)));
  try {
    await run('pgbench', [...conn, '-i', '-s', '10', '-q', name]);
    const { stdout } = await run(
      'pgbench',
      [...conn, '-b', 'tpcb-like', '-c', String(clients), '-j', '2', '-T', String(seconds), '-l', '--log-prefix', path.join(dir, 'pgb'), name],
      { maxBuffer: 16 * 1024 * 1024 },
    );
    const tps = Number(/tps = ([\d.]+)/.exec(stdout)?.[1] ?? 0);
    // Per-transaction log: the third column is the latency in microseconds.
    const lat: number[] = [];
    for (const f of readdirSync(dir)) {
      for (const line of readFileSync(path.join(dir, f), 'utf8').split('\n')) {
        const us = Number(line.split(' ')[2]);
        if (Number.isFinite(us) && line) lat.push(us / 1000);
      }
    }
    lat.sort((a, b) => a - b);
    return { clients, seconds, tps: Math.round(tps), p50: percentile(lat, 50), p99: percentile(lat, 99) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await withServer((c) => c.query(`drop database if exists ${name} with (force)`));
  }
}

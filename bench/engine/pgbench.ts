// The database ceiling beside each engine run: `pgbench -b simple-update` (one UPDATE, one
// SELECT, one INSERT per transaction — about what one post costs the engine: claim, record)
// at scale 10 on its own throw-away database of the same server, with the workers stopped.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { PG_SERVER } from '../hostile/stack.js';
import { dropDatabase, recreateDatabase } from './provision.js';

const run = promisify(execFile);

export type SimpleUpdate = { clients: number; seconds: number; tps: number; latencyMs: number };

export async function pgbenchSimpleUpdate({ clients = 8, seconds = 15 }: { clients?: number; seconds?: number } = {}): Promise<SimpleUpdate> {
  const name = 'hqadz_bench_engine_pgb';
  const server = new URL(PG_SERVER);
  const conn = ['-h', server.hostname, '-p', server.port || '5432', '-U', decodeURIComponent(server.username || 'postgres')];
  await recreateDatabase(name);
  try {
    await run('pgbench', [...conn, '-i', '-s', '10', '-q', name]);
    const { stdout } = await run('pgbench', [...conn, '-b', 'simple-update', '-c', String(clients), '-j', '2', '-T', String(seconds), name], {
      maxBuffer: 16 * 1024 * 1024,
    });
    return {
      clients,
      seconds,
      tps: Math.round(Number(/tps = ([\d.]+)/.exec(stdout)?.[1] ?? 0)),
      latencyMs: Number(/latency average = ([\d.]+) ms/.exec(stdout)?.[1] ?? 0),
    };
  } finally {
    await dropDatabase(name);
  }
}

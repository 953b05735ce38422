// Starts bench/engine/fake-bot-api.ts in its own process and reads its counters back.
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { killGently, REPO_ROOT, track } from '../hostile/stack.js';

export type FakeSends = { chat: number[]; at: number[]; messageId: number[] };

export type FakeBotApi = {
  apiRoot: string;
  child: ChildProcess;
  stats(): Promise<{ calls: Record<string, number>; sends: number }>;
  sends(): Promise<FakeSends>;
  stop(): Promise<void>;
};

export async function startFakeBotApi(): Promise<FakeBotApi> {
  const script = path.join(REPO_ROOT, 'bench/engine/fake-bot-api.ts');
  const child = track(spawn(process.execPath, ['--import', 'tsx', script], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] }));
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /ready (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.once('exit', (code) => reject(new Error(`the fake Bot API exited with ${code}`)));
  });
  const apiRoot = `http://127.0.0.1:${port}`;
  const get = async <T>(p: string): Promise<T> => (await fetch(`${apiRoot}${p}`, { signal: AbortSignal.timeout(60_000) })).json() as Promise<T>;
  return {
    apiRoot,
    child,
    stats: () => get('/__stats'),
    sends: () => get('/__sends'),
    stop: () => killGently(child),
  };
}

// CPU time (utime + stime from /proc/<pid>/stat) of the worker processes and of the
// PostgreSQL server over the measured window. PostgreSQL is one server shared with whatever
// else runs on the machine, so its processes are split by their title: backends and
// autovacuum workers of the bench database (`postgres: 15/main: postgres hqadz_bench_engine …`)
// and the server-wide writers (walwriter, checkpointer, background writer), which the
// bench's commits drive but other databases' writes share. A backend that exits in the
// window would take its CPU time with it, so the processes are sampled every second and
// each one's last reading is kept.
import { readdirSync, readFileSync } from 'node:fs';

const TICK_MS = 10; // CLK_TCK is 100 on Linux

function readCpuMs(pid: number): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
  } catch {
    return null;
  }
}

type PgRole = 'own' | 'shared' | 'other';

function postgresProcesses(database: string): Map<number, PgRole> {
  const out = new Map<number, PgRole>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let title: string;
    try {
      if (!readFileSync(`/proc/${name}/comm`, 'utf8').startsWith('postgres')) continue;
      title = readFileSync(`/proc/${name}/cmdline`, 'utf8').replaceAll('\0', ' ');
    } catch {
      continue;
    }
    const words = title.split(/\s+/);
    if (words.includes(database)) out.set(Number(name), 'own');
    else if (/walwriter|checkpointer|background writer/.test(title)) out.set(Number(name), 'shared');
    else out.set(Number(name), 'other');
  }
  return out;
}

export type CpuWindow = { workerMs: number; pgOwnMs: number; pgSharedMs: number; pgOtherMs: number };

export type CpuSampler = { stop(): CpuWindow };

/** Starts measuring now; stop() returns the CPU each group spent since. */
export function sampleCpu({ workerPids, database }: { workerPids: number[]; database: string }): CpuSampler {
  const first = new Map<number, number>();
  const last = new Map<number, number>();
  const roles = new Map<number, PgRole | 'worker'>();
  const take = (initial: boolean) => {
    const procs: [number, PgRole | 'worker'][] = [...postgresProcesses(database), ...workerPids.map((p) => [p, 'worker'] as [number, 'worker'])];
    for (const [pid, role] of procs) {
      const ms = readCpuMs(pid);
      if (ms === null) continue;
      roles.set(pid, role);
      // A process born inside the window spent all its CPU in it.
      if (!first.has(pid)) first.set(pid, initial ? ms : 0);
      last.set(pid, ms);
    }
  };
  take(true);
  const timer = setInterval(() => take(false), 1000);
  return {
    stop() {
      clearInterval(timer);
      take(false);
      const w: CpuWindow = { workerMs: 0, pgOwnMs: 0, pgSharedMs: 0, pgOtherMs: 0 };
      for (const [pid, role] of roles) {
        const d = (last.get(pid) ?? 0) - (first.get(pid) ?? 0);
        if (role === 'worker') w.workerMs += d;
        else if (role === 'own') w.pgOwnMs += d;
        else if (role === 'shared') w.pgSharedMs += d;
        else w.pgOtherMs += d;
      }
      return w;
    },
  };
}

// One process at a time on an embedded database: PGlite opened twice on one directory
// corrupts it, so the server (and the operator CLI) hold DATA_DIR/hqadz.lock while open.
import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';

export type LockHolder = { pid: number; owner: string; startedAt: string };

export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holder: LockHolder,
  ) {
    super(`DATA_DIR=${dataDir} is in use by ${holder.owner} (pid ${holder.pid}, since ${holder.startedAt}); stop it or use DATABASE_URL`);
    this.name = 'DataDirLockedError';
  }
}

export type DataDirLock = { file: string; release(): void };

export function lockFilePath(dataDir: string): string {
  return path.join(dataDir, 'hqadz.lock');
}

/**
 * Takes the lock by creating the file exclusively with our pid. A lock left by a dead
 * process (crash, SIGKILL) is taken over; so is one naming our own pid, which is what a
 * restarted container (always pid 1) finds from its previous life.
 */
export function acquireDataDirLock(dataDir: string, owner: string): DataDirLock {
  mkdirSync(dataDir, { recursive: true });
  const file = lockFilePath(dataDir);
  const me: LockHolder = { pid: process.pid, owner, startedAt: new Date().toISOString() };
  for (let attempt = 0; ; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o644);
      writeSync(fd, JSON.stringify(me));
      closeSync(fd);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = readHolder(file);
      if (holder && isAlive(holder.pid) && holder.pid !== process.pid) throw new DataDirLockedError(dataDir, holder);
      // Stale. Another process clearing it at the same moment makes our next create fail,
      // and then its live pid refuses us; a lock that keeps coming back is not ours to fight.
      if (attempt >= 2) throw new Error(`cannot take ${file}: remove it if no HQAdz process uses DATA_DIR=${dataDir}`);
      try {
        unlinkSync(file);
      } catch {
        // Already gone: the next create decides.
      }
    }
  }
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    process.removeListener('exit', release);
    // Only our own lock: never remove one another process took over meanwhile.
    if (readHolder(file)?.pid !== process.pid) return;
    try {
      unlinkSync(file);
    } catch {
      // Gone already.
    }
  };
  // A process that exits without closing (process.exit after an error) still frees it.
  process.once('exit', release);
  return { file, release };
}

/** Who holds the lock on DATA_DIR, when a live process does. */
export function dataDirLockHolder(dataDir: string): LockHolder | null {
  const holder = readHolder(lockFilePath(dataDir));
  return holder && isAlive(holder.pid) && holder.pid !== process.pid ? holder : null;
}

function readHolder(file: string): LockHolder | null {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<LockHolder>;
    if (typeof parsed.pid !== 'number' || !Number.isInteger(parsed.pid) || parsed.pid <= 0) return null;
    return { pid: parsed.pid, owner: String(parsed.owner ?? 'another process'), startedAt: String(parsed.startedAt ?? 'unknown') };
  } catch {
    // Missing, half-written or not ours: treated as no holder.
    return null;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireDataDirLock, DataDirLockedError, dataDirLockHolder, lockFilePath } from './data-dir-lock.js';

const freshDir = () => mkdtempSync(path.join(os.tmpdir(), 'hqadz-lock-'));

/** The pid of a process that has already exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(r.stdout);
}

describe('DATA_DIR lock', () => {
  it('is held with our pid, refuses a second holder while a live process has it, and is freed on release', () => {
    const dir = freshDir();
    const lock = acquireDataDirLock(dir, 'the server');
    expect(JSON.parse(readFileSync(lockFilePath(dir), 'utf8'))).toMatchObject({ pid: process.pid, owner: 'the server' });
    // A live process that is not us (our parent, the test runner) holding it: refused.
    writeFileSync(lockFilePath(dir), JSON.stringify({ pid: process.ppid, owner: 'the server', startedAt: 'then' }));
    expect(() => acquireDataDirLock(dir, 'cli')).toThrow(DataDirLockedError);
    expect(dataDirLockHolder(dir)).toMatchObject({ pid: process.ppid, owner: 'the server' });
    // Not ours any more: release leaves the other holder's file alone.
    lock.release();
    expect(existsSync(lockFilePath(dir))).toBe(true);
  });

  it('takes over a lock left by a dead process, or by an earlier life of our own pid', () => {
    const dir = freshDir();
    writeFileSync(lockFilePath(dir), JSON.stringify({ pid: deadPid(), owner: 'the server', startedAt: 'then' }));
    expect(dataDirLockHolder(dir)).toBeNull();
    const lock = acquireDataDirLock(dir, 'cli');
    lock.release();
    expect(existsSync(lockFilePath(dir))).toBe(false);

    writeFileSync(lockFilePath(dir), JSON.stringify({ pid: process.pid, owner: 'the server', startedAt: 'before a restart' }));
    acquireDataDirLock(dir, 'the server').release();
    writeFileSync(lockFilePath(dir), 'half-written');
    acquireDataDirLock(dir, 'the server').release();
    expect(existsSync(lockFilePath(dir))).toBe(false);
  });
});

// The composition root's context: the AppContext every use case is given (src/platform/
// app-context.ts) plus the job queue itself, which only the roles and the CLI drive.
import type { Config } from './config.js';
import { openDatabase } from './db/client.js';
import { acquireDataDirLock, type DataDirLock } from './lib/data-dir-lock.js';
import type { Logger } from './lib/logger.js';
import { seedCatalog } from './modules/catalog/seed-catalog.js';
import type { AppContext } from './platform/app-context.js';
import { JobQueue } from './platform/jobs/job-queue.js';

export type { AppContext } from './platform/app-context.js';

/** AppContext and the queue: modules see `jobs` as a JobSender; `queue` starts the worker, retries, stops. */
export type AppRuntime = AppContext & { queue: JobQueue };

export type CreateContextOptions = {
  config: Config;
  log: Logger;
  /** Embedded database in memory instead of DATA_DIR (tests). */
  inMemory?: boolean;
  /** Who holds DATA_DIR's lock on the embedded database, as others are told ("the server"). */
  lockOwner?: string;
};

// Kept beside the context rather than in it: nothing but closeContext needs the lock.
const dataDirLocks = new WeakMap<AppRuntime, DataDirLock>();

export async function createContext({ config, log, inMemory, lockOwner = 'the server' }: CreateContextOptions): Promise<AppRuntime> {
  // PGlite cannot be opened twice on one directory: refuse before touching it.
  const lock = !config.databaseUrl && !inMemory ? acquireDataDirLock(config.dataDir, lockOwner) : undefined;
  try {
    const database = await openDatabase({
      ...(config.databaseUrl ? { databaseUrl: config.databaseUrl, poolSize: config.databasePoolSize } : {}),
      dataDir: config.dataDir,
      ...(inMemory ? { inMemory } : {}),
    });
    const jobs = new JobQueue(database.executor, log, config.jobPollSeconds);
    const ctx: AppRuntime = { config, log, database, db: database.db, jobs, queue: jobs };
    if (lock) dataDirLocks.set(ctx, lock);
    await database.withStartupLock(async () => {
      await database.migrate();
      await seedCatalog({ db: ctx.db });
      await jobs.start();
    });
    return ctx;
  } catch (err) {
    lock?.release();
    throw err;
  }
}

export async function closeContext(ctx: AppRuntime): Promise<void> {
  try {
    await ctx.queue.stop();
    await ctx.database.close();
  } finally {
    dataDirLocks.get(ctx)?.release();
  }
}

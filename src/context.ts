// What every use case, route and job handler is given: configuration, the database,
// the job queue, the logger and the external providers chosen by configuration.
import type { Config } from './config.js';
import { type Database, type Db, openDatabase } from './db/client.js';
import { JobQueue } from './jobs/queue.js';
import { acquireDataDirLock, type DataDirLock } from './lib/data-dir-lock.js';
import type { Logger } from './lib/logger.js';
import { seedCatalog } from './modules/catalog/seed-catalog.js';

export type AppContext = {
  config: Config;
  log: Logger;
  database: Database;
  db: Db;
  jobs: JobQueue;
};

export type CreateContextOptions = {
  config: Config;
  log: Logger;
  /** Embedded database in memory instead of DATA_DIR (tests). */
  inMemory?: boolean;
  /** Who holds DATA_DIR's lock on the embedded database, as others are told ("the server"). */
  lockOwner?: string;
};

// Kept beside the context rather than in it: nothing but closeContext needs the lock.
const dataDirLocks = new WeakMap<AppContext, DataDirLock>();

export async function createContext({ config, log, inMemory, lockOwner = 'the server' }: CreateContextOptions): Promise<AppContext> {
  // PGlite cannot be opened twice on one directory: refuse before touching it.
  const lock = !config.databaseUrl && !inMemory ? acquireDataDirLock(config.dataDir, lockOwner) : undefined;
  try {
    const database = await openDatabase({
      ...(config.databaseUrl ? { databaseUrl: config.databaseUrl } : {}),
      dataDir: config.dataDir,
      ...(inMemory ? { inMemory } : {}),
    });
    const jobs = new JobQueue(database.executor, log, config.jobPollSeconds);
    const ctx: AppContext = { config, log, database, db: database.db, jobs };
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

export async function closeContext(ctx: AppContext): Promise<void> {
  try {
    await ctx.jobs.stop();
    await ctx.database.close();
  } finally {
    dataDirLocks.get(ctx)?.release();
  }
}

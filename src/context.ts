// What every use case, route and job handler is given: configuration, the database,
// the job queue, the logger and the external providers chosen by configuration.
import type { Config } from './config.js';
import { type Database, type Db, openDatabase } from './db/client.js';
import { JobQueue } from './jobs/queue.js';
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
};

export async function createContext({ config, log, inMemory }: CreateContextOptions): Promise<AppContext> {
  const database = await openDatabase({
    ...(config.databaseUrl ? { databaseUrl: config.databaseUrl } : {}),
    dataDir: config.dataDir,
    ...(inMemory ? { inMemory } : {}),
  });
  const jobs = new JobQueue(database.executor, log, config.jobPollSeconds);
  const ctx: AppContext = { config, log, database, db: database.db, jobs };
  await database.withStartupLock(async () => {
    await database.migrate();
    await seedCatalog({ db: ctx.db });
    await jobs.start();
  });
  return ctx;
}

export async function closeContext(ctx: AppContext): Promise<void> {
  await ctx.jobs.stop();
  await ctx.database.close();
}

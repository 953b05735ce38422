// What every use case, route and job handler is given: configuration, the database, a job
// sender, the logger. The composition root (src/context.ts) builds it; nothing here imports a
// module, so any layer may depend on this type.
import type { Config } from '../config.js';
import type { Database, Db } from '../db/client.js';
import type { Logger } from '../lib/logger.js';
import type { JobSender } from './jobs/job-sender.js';

export type AppContext = {
  config: Config;
  log: Logger;
  database: Database;
  db: Db;
  jobs: JobSender;
};

// `hqadz migrate`: bring the database up to date without starting a server.
import { withContext } from './cli-context.js';
import { type Command, EXIT_OK, parse } from './command.js';

export const migrate: Command = {
  name: 'migrate',
  args: '',
  summary: 'apply the database migrations (servers also do this on start, under a lock)',
  async run(argv, io) {
    parse(argv, {}, { min: 0, max: 0 });
    // The context's start-up is exactly the migration path the server takes: the SQL
    // migrations, the plan seed and the job queue's own schema, under the start-up lock.
    const where = await withContext(async (ctx) =>
      ctx.config.databaseUrl ? `PostgreSQL (${redact(ctx.config.databaseUrl)})` : `the embedded database in DATA_DIR=${ctx.config.dataDir}`,
    );
    io.out(`Migrations applied: ${where} is up to date.`);
    return EXIT_OK;
  },
};

function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'DATABASE_URL';
  }
}

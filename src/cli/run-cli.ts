// Finds the command a command line names and runs it; maps the failures an operator can
// act on to one line on stderr and an exit code.
import { ConfigError } from '../config.js';
import { DataDirLockedError } from '../lib/data-dir-lock.js';
import { AppError } from '../lib/errors.js';
import { adminCreate, adminRotateCode } from './admin.js';
import { CliError } from './cli-context.js';
import { type CliIo, type Command, EXIT_FAILED, EXIT_OK, EXIT_USAGE, UsageError } from './command.js';
import { jobsRetry } from './jobs.js';
import { migrate } from './migrate.js';
import { ordersStuck } from './orders.js';
import { paymentsReplay } from './payments.js';
import { sendersAdd } from './senders.js';
import { stock } from './stock.js';

export const commands: Command[] = [adminCreate, adminRotateCode, sendersAdd, stock, ordersStuck, paymentsReplay, jobsRetry, migrate];

export function helpText(): string {
  const usage = commands.map((c) => `  hqadz ${c.name}${c.args ? ` ${c.args}` : ''}`);
  const width = Math.max(...usage.map((u) => u.length)) + 2;
  return [
    'HQAdz operator CLI',
    '',
    'Usage: hqadz COMMAND [ARGS]     (hqadz COMMAND --help for one command)',
    '',
    'Commands:',
    ...commands.map((c, i) => `${usage[i]!.padEnd(width)}${c.summary}`),
    '',
    'It reads the same environment as the server: DATABASE_URL for PostgreSQL, else the',
    'embedded database in DATA_DIR (default ./data), which it refuses to open while the',
    'server runs on it. LOG_LEVEL (default warn here) logs to stderr.',
  ].join('\n');
}

/** Runs one command line; returns the exit code. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    io.out(helpText());
    return argv.length === 0 ? EXIT_USAGE : EXIT_OK;
  }
  // The longest command name the words start with: `admin create` before `admin`.
  const command = commands
    .filter((c) => {
      const words = c.name.split(' ');
      return words.every((w, i) => argv[i] === w);
    })
    .sort((a, b) => b.name.length - a.name.length)[0];
  if (!command) {
    const group = commands.filter((c) => c.name.split(' ')[0] === argv[0]);
    io.err(group.length ? `hqadz ${argv[0]}: which one? ${group.map((c) => c.name).join(', ')}` : `hqadz: unknown command "${argv.join(' ')}"`);
    io.err('Run "hqadz --help" for the list.');
    return EXIT_USAGE;
  }
  const rest = argv.slice(command.name.split(' ').length);
  const usage = `Usage: hqadz ${command.name}${command.args ? ` ${command.args}` : ''}`;
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(`${usage}\n  ${command.summary}`);
    return EXIT_OK;
  }
  try {
    return await command.run(rest, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`hqadz ${command.name}: ${err.message}`);
      io.err(usage);
      return EXIT_USAGE;
    }
    const message = describeFailure(err);
    if (message === null) throw err;
    io.err(`hqadz ${command.name}: ${message}`);
    return EXIT_FAILED;
  }
}

/** One line for the failures an operator can act on; null for a bug (stack trace). */
function describeFailure(err: unknown): string | null {
  if (err instanceof DataDirLockedError) {
    return err.holder.owner === 'the server'
      ? `the server is running on DATA_DIR=${err.dataDir} (pid ${err.holder.pid}); stop it or use DATABASE_URL`
      : `${err.holder.owner} (pid ${err.holder.pid}) is using DATA_DIR=${err.dataDir}; wait for it to finish`;
  }
  if (err instanceof AppError || err instanceof CliError || err instanceof ConfigError) return err.message;
  const code = (err as NodeJS.ErrnoException)?.code;
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === '28P01' || code === '3D000') {
    return `cannot reach the database: ${(err as Error).message}`;
  }
  return null;
}

// Opens the same context the server uses (configuration, database, job queue), so every
// command goes through the API's own use cases; logs go to stderr, results to stdout.
import { existsSync } from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { loadConfig } from '../config.js';
import { type AppRuntime, closeContext, createContext } from '../context.js';

/** How the CLI names itself in DATA_DIR's lock, for the server to read if it is refused. */
export const CLI_LOCK_OWNER = 'an hqadz CLI command';

/** A refusal the operator can act on: printed as one line, exit code 1. */
export class CliError extends Error {}

export type WithContextOptions = {
  /** The command encrypts with ENCRYPTION_KEY (sender tokens): it must be the server's key. */
  usesEncryptionKey?: boolean;
};

export async function withContext<T>(fn: (ctx: AppRuntime) => Promise<T>, opts: WithContextOptions = {}): Promise<T> {
  if (opts.usesEncryptionKey) checkEncryptionKey();
  // Quiet by default: an operator reads the command's own output, not start-up logs.
  const config = loadConfig({ ...process.env, LOG_LEVEL: process.env.LOG_LEVEL || 'warn' });
  const log = pino({ level: config.logLevel, base: undefined, timestamp: pino.stdTimeFunctions.isoTime }, pino.destination(2));
  const ctx = await createContext({ config, log, lockOwner: CLI_LOCK_OWNER });
  try {
    return await fn(ctx);
  } finally {
    await closeContext(ctx);
  }
}

/**
 * Without ENCRYPTION_KEY the key comes from DATA_DIR/secrets.json, generated when missing.
 * On PostgreSQL a CLI started elsewhere than the server would generate its own and store
 * tokens no server can decrypt, so it must find the server's file or be given the key.
 */
function checkEncryptionKey(): void {
  if (!process.env.DATABASE_URL || process.env.ENCRYPTION_KEY) return;
  const dataDir = path.resolve(process.env.DATA_DIR || './data');
  if (existsSync(path.join(dataDir, 'secrets.json'))) return;
  throw new CliError(
    `ENCRYPTION_KEY is not set and DATA_DIR=${dataDir} has no secrets.json: tokens would be encrypted with a key the server does not have. Set ENCRYPTION_KEY (or DATA_DIR) as the server has it.`,
  );
}

// What every CLI command is: a name, its usage line for --help, and a run function that
// gets its own arguments and returns the exit code.
import { type ParseArgsConfig, parseArgs } from 'node:util';

export type CliIo = { out(line: string): void; err(line: string): void };

export type Command = {
  /** Words typed after `hqadz`, e.g. `admin create`. */
  name: string;
  /** Arguments and options after the name, e.g. `EMAIL [--json]`. */
  args: string;
  summary: string;
  run(argv: string[], io: CliIo): Promise<number>;
};

/** A mistake in how the command was typed: usage is printed and the exit code is 2. */
export class UsageError extends Error {}

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

/** node:util parseArgs, with its errors turned into usage errors. */
export function parse<T extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: T, positionals: { min: number; max: number }) {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const n = parsed.positionals.length;
  if (n < positionals.min) throw new UsageError('missing argument');
  if (n > positionals.max) throw new UsageError(`unexpected argument "${parsed.positionals[positionals.max]}"`);
  return parsed;
}

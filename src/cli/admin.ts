// `hqadz admin …`: admins and their access codes, the way back in when a code is lost.
import { z } from 'zod';
import { createAdmin } from '../modules/accounts/create-admin.js';
import { rotateAdminCode } from '../modules/accounts/rotate-admin-code.js';
import { withContext } from './cli-context.js';
import { type CliIo, type Command, EXIT_OK, parse, UsageError } from './command.js';

const email = z.email();

function parseEmail(value: string): string {
  if (!email.safeParse(value.trim()).success) throw new UsageError(`"${value}" is not an email address`);
  return value.trim();
}

// Plain stdout, not a log line: it is the only copy of the code (only its hash is stored).
function printCode(io: CliIo, what: string, code: string): void {
  io.out(what);
  io.out(`Access code: ${code}`);
  io.out('It is shown only this once: store it now. Log in at /login with it.');
}

export const adminCreate: Command = {
  name: 'admin create',
  args: 'EMAIL',
  summary: 'create an admin and print their access code once',
  async run(argv, io) {
    const { positionals } = parse(argv, {}, { min: 1, max: 1 });
    const address = parseEmail(positionals[0]!);
    const result = await withContext((ctx) => createAdmin({ db: ctx.db, email: address }));
    printCode(io, `Admin ${result.email} created.`, result.accessCode);
    return EXIT_OK;
  },
};

export const adminRotateCode: Command = {
  name: 'admin rotate-code',
  args: '[EMAIL]',
  summary: "give an admin a new access code (printed once; the old one stops working); without EMAIL the first admin's",
  async run(argv, io) {
    const { positionals } = parse(argv, {}, { min: 0, max: 1 });
    const address = positionals[0] === undefined ? undefined : parseEmail(positionals[0]);
    const result = await withContext((ctx) => rotateAdminCode({ db: ctx.db, email: address }));
    printCode(io, `New access code for ${result.email ?? 'the first admin'}; the old one no longer works.`, result.accessCode);
    return EXIT_OK;
  },
};

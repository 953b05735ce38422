// The operator CLI (`npx hqadz …`, bundled to dist/cli.js): the API's own use cases over the
// configured database (DATABASE_URL, or the embedded one in DATA_DIR when no server holds it).
import type { CliIo } from './command.js';
import { EXIT_FAILED } from './command.js';
import { runCli } from './run-cli.js';

const io: CliIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

runCli(process.argv.slice(2), io).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    console.error(err);
    process.exitCode = EXIT_FAILED;
  },
);

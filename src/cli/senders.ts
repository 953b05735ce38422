// `hqadz senders add FILE`: bulk stock from a file of bot tokens, each checked with getMe.
import { readFile } from 'node:fs/promises';
import { addSenders } from '../modules/stock/add-senders.js';
import { CliError, withContext } from './cli-context.js';
import { type Command, EXIT_FAILED, EXIT_OK, parse } from './command.js';

export const sendersAdd: Command = {
  name: 'senders add',
  args: 'FILE',
  summary: 'add sender bots from FILE (one token per line; blank and # lines skipped; - reads stdin); reports each line',
  async run(argv, io) {
    const { positionals } = parse(argv, {}, { min: 1, max: 1 });
    const file = positionals[0]!;
    let text: string;
    try {
      text = file === '-' ? await readStdin() : await readFile(file, 'utf8');
    } catch (err) {
      throw new CliError(`cannot read ${file}: ${(err as Error).message}`);
    }
    const lines = text
      .split(/\r?\n/)
      .map((line, i) => ({ lineNo: i + 1, token: line.trim() }))
      .filter((l) => l.token !== '' && !l.token.startsWith('#'));
    if (lines.length === 0) throw new CliError(`${file} has no tokens`);

    const { outcomes } = await withContext((ctx) => addSenders({ ctx, tokens: lines.map((l) => l.token) }), { usesEncryptionKey: true });
    let added = 0;
    outcomes.forEach((o, i) => {
      const where = `line ${lines[i]!.lineNo}: ${o.token}`;
      if (o.added) {
        added++;
        io.out(`${where} added @${o.username}`);
      } else io.out(`${where} rejected: ${o.reason}`);
    });
    io.out(`${added} added, ${outcomes.length - added} rejected`);
    // Non-zero when any line failed, so a script notices; the good lines are in stock anyway.
    return added === outcomes.length ? EXIT_OK : EXIT_FAILED;
  },
};

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

// `hqadz stock`: sender stock by state, and how many a new purchase can take.
import { countAvailableSenders } from '../modules/stock/count-available-senders.js';
import { listSenders, senderStates } from '../modules/stock/list-senders.js';
import { withContext } from './cli-context.js';
import { type Command, EXIT_OK, parse } from './command.js';

export const stock: Command = {
  name: 'stock',
  args: '',
  summary: 'sender bots by state, and how many new purchases can take',
  async run(argv, io) {
    parse(argv, {}, { min: 0, max: 0 });
    const { counts, available } = await withContext(async (ctx) => {
      const { counts } = await listSenders({ db: ctx.db, limit: 1, offset: 0 });
      return { counts, available: await countAvailableSenders({ db: ctx.db }) };
    });
    for (const state of senderStates) io.out(`${state.padEnd(10)} ${counts[state]}`);
    io.out(`${'available'.padEnd(10)} ${available}  (unused, not frozen, not owed to back-orders)`);
    return EXIT_OK;
  },
};

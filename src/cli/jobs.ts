// `hqadz jobs retry QUEUE`: re-run a queue's failed jobs once their cause is fixed.
import { type JobName, jobDefinitions } from '../platform/jobs/definitions.js';
import { withContext } from './cli-context.js';
import { type Command, EXIT_OK, parse, UsageError } from './command.js';

const queueNames = jobDefinitions.map((d) => d.name) as string[];

export const jobsRetry: Command = {
  name: 'jobs retry',
  args: 'QUEUE',
  summary: `run a queue's failed jobs again (a worker picks them up); QUEUE is one of ${queueNames.join(', ')}`,
  async run(argv, io) {
    const { positionals } = parse(argv, {}, { min: 1, max: 1 });
    const queue = positionals[0]!;
    if (!queueNames.includes(queue)) throw new UsageError(`no queue "${queue}"; queues: ${queueNames.join(', ')}`);
    const n = await withContext((ctx) => ctx.queue.retryFailed(queue as JobName));
    io.out(n === 0 ? `No failed job in ${queue}.` : `${n} failed job${n === 1 ? '' : 's'} in ${queue} queued to run again.`);
    return EXIT_OK;
  },
};

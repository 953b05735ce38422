// `hqadz payments replay EVENT_ID`: the admin panel's replay, for the operator.
import { replayPaymentEvent } from '../modules/payments/replay-payment-event.js';
import { withContext } from './cli-context.js';
import { type Command, EXIT_OK, parse, UsageError } from './command.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const paymentsReplay: Command = {
  name: 'payments replay',
  args: 'EVENT_ID',
  summary: 'feed a stored, signed provider event (IPN) through the payment state machine again',
  async run(argv, io) {
    const { positionals } = parse(argv, {}, { min: 1, max: 1 });
    const eventId = positionals[0]!;
    if (!UUID.test(eventId)) throw new UsageError(`"${eventId}" is not an event id (a UUID, as the admin panel's IPN timeline shows)`);
    const r = await withContext((ctx) => replayPaymentEvent({ ctx, eventId, adminUserId: null }));
    io.out(`Replayed ${r.eventId} as ${r.replayEventId}: ${r.verdict}${r.reason ? ` (${r.reason})` : ''}`);
    io.out(`payment ${r.status ?? '-'}, order ${r.orderId ?? '-'} ${r.orderStatus ?? ''}`.trimEnd());
    return EXIT_OK;
  },
};

// `hqadz orders stuck`: paid orders that fulfilment has not completed.
import { STUCK_AFTER_MINUTES } from '../modules/checkout/list-orders.js';
import { listStuckOrders } from '../modules/checkout/list-stuck-orders.js';
import { withContext } from './cli-context.js';
import { type Command, EXIT_FAILED, EXIT_OK, parse, UsageError } from './command.js';

export const ordersStuck: Command = {
  name: 'orders stuck',
  args: `[--minutes N]`,
  summary: `orders paid more than N minutes ago (default ${STUCK_AFTER_MINUTES}) and still not fulfilled; exit 1 when there are any`,
  async run(argv, io) {
    const { values } = parse(argv, { minutes: { type: 'string' } }, { min: 0, max: 0 });
    const minutes = values.minutes === undefined ? STUCK_AFTER_MINUTES : Number(values.minutes);
    if (!Number.isFinite(minutes) || minutes < 0) throw new UsageError(`--minutes must be a number of minutes, not "${values.minutes}"`);
    const stuck = await withContext((ctx) => listStuckOrders({ db: ctx.db, olderThanMinutes: minutes }));
    if (stuck.length === 0) {
      io.out(`No order has waited more than ${minutes} minutes since payment.`);
      return EXIT_OK;
    }
    for (const o of stuck) {
      const why = o.backordered ? 'back-ordered: waiting for stock' : 'not fulfilled';
      io.out(
        `#${o.orderNumber} ${o.id} ${o.email ?? '-'} ${o.planName} (${o.kind}) paid ${o.paidAt?.toISOString() ?? '?'} (${o.minutesSincePaid} min ago), ${why}`,
      );
    }
    io.out(`${stuck.length} stuck; "hqadz jobs retry fulfil-order" re-runs failed fulfilments, the admin panel can fulfil one by hand`);
    // Non-zero makes it usable as a cron or monitoring check.
    return EXIT_FAILED;
  },
};

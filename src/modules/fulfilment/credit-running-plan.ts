// A smaller plan paid while a bigger one runs (see src/shared/plan-change.ts): the running plan stays as it
// is — senders, interval, status — and the order's value is added to it as days. The senders
// checkout reserved for the smaller plan are not needed and go back to stock.
import type { Tx } from '../../db/client.js';
import type { adbots, orders } from '../../db/schema.js';
import type { AppContext } from '../../platform/app-context.js';
import { logActivity } from '../../platform/log-activity.js';
import { extendAdbotExpiry } from '../adbots/adbot-lifecycle.js';
import { releaseReservation } from '../stock/release-reservation.js';

const DAY_MS = 86_400_000;

export type CreditRunningPlanOptions = {
  ctx: AppContext;
  tx: Tx;
  order: typeof orders.$inferSelect;
  /** The running adbot, locked by the caller. */
  adbot: typeof adbots.$inferSelect;
  runningPlan: { name: string; priceCents: number };
  days: number;
  now: Date;
};

export async function creditRunningPlan({ ctx, tx, order, adbot, runningPlan, days, now }: CreditRunningPlanOptions): Promise<{ expiresAt: Date }> {
  // The plan runs, so its expiry is ahead of now; max() only guards a clock that disagrees.
  const expiresAt = new Date(Math.max(now.getTime(), adbot.expiresAt.getTime()) + days * DAY_MS);
  await extendAdbotExpiry(tx, adbot.id, expiresAt);
  // Paid back-orders may be waiting for exactly these senders.
  const released = await releaseReservation({ tx, orderId: order.id, jobs: ctx.jobs });
  await logActivity({
    db: tx,
    actorRole: 'system',
    action: 'order.credited_as_days',
    subjectType: 'order',
    subjectId: order.id,
    details: {
      orderNumber: order.orderNumber,
      paidPlan: order.planSlug,
      paidPriceCents: order.priceCents,
      paidValidityDays: order.validityDays,
      runningPlan: runningPlan.name,
      runningPriceCents: runningPlan.priceCents,
      creditedDays: days,
      adbotId: adbot.id,
      previousExpiresAt: adbot.expiresAt.toISOString(),
      expiresAt: expiresAt.toISOString(),
      sendersReturnedToStock: released,
    },
  });
  ctx.log.info({ orderId: order.id, days, runningPlan: runningPlan.name }, 'smaller plan paid while a bigger one runs: credited as days');
  return { expiresAt };
}

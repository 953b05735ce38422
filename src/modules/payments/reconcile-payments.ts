// The safety net under the webhook: asks the provider about open payments (a lost IPN
// delays nothing for long) and lets unpaid invoices lapse so their stock returns.
import { and, eq, inArray, isNotNull, isNull, lt, or, sql } from 'drizzle-orm';
import type { AppContext } from '../../context.js';
import { orders, paymentEvents, payments } from '../../db/schema.js';
import { failCheckoutPayment } from '../checkout/fail-checkout-payment.js';
import { applyPaymentStatus, touchPaymentChecked } from './apply-payment-status.js';
import { openStatuses } from './payment-status.js';
import { getPaymentProvider } from './provider.js';

export type ReconcilePaymentsOptions = {
  ctx: AppContext;
  /** Skip payments checked more recently than this (default 30 s). */
  minIntervalMs?: number;
  batchSize?: number;
  now?: Date;
};

export type ReconcilePaymentsResult = { checked: number; applied: number; expired: number; failedStuck: number; errors: number };

/** A payment still `creating` this long after its order was made lost its process mid-call. */
const STUCK_CREATING_MS = 10 * 60 * 1000;

export async function reconcilePayments({
  ctx,
  minIntervalMs = 30_000,
  batchSize = 100,
  now = new Date(),
}: ReconcilePaymentsOptions): Promise<ReconcilePaymentsResult> {
  const result: ReconcilePaymentsResult = { checked: 0, applied: 0, expired: 0, failedStuck: 0, errors: 0 };
  const provider = await getPaymentProvider(ctx);
  const checkedBefore = new Date(now.getTime() - minIntervalMs);

  const open = await ctx.db
    .select({ id: payments.id, providerPaymentId: payments.providerPaymentId })
    .from(payments)
    .where(
      and(
        inArray(payments.status, [...openStatuses]),
        isNotNull(payments.providerPaymentId),
        or(isNull(payments.lastCheckedAt), lt(payments.lastCheckedAt, checkedBefore)),
      ),
    )
    .orderBy(sql`${payments.lastCheckedAt} asc nulls first`)
    .limit(batchSize);

  for (const p of open) {
    result.checked++;
    try {
      const remote = await provider.getPayment(p.providerPaymentId!);
      await touchPaymentChecked(ctx, p.id);
      if (!remote.status) continue;
      const applied = await applyPaymentStatus({
        ctx,
        providerPaymentId: p.providerPaymentId!,
        status: remote.status,
        actuallyPaid: remote.actuallyPaid,
        claimed: { orderId: remote.orderId, priceAmount: remote.priceAmount, priceCurrency: remote.priceCurrency },
        source: 'poll',
      });
      if (applied.verdict === 'applied' || applied.verdict === 'rejected_mismatch') {
        result.applied += applied.verdict === 'applied' ? 1 : 0;
        await ctx.db.insert(paymentEvents).values({
          source: 'poll',
          providerPaymentId: p.providerPaymentId,
          orderId: applied.orderId ?? null,
          status: remote.rawStatus,
          signatureValid: true,
          verdict: applied.verdict,
          rawBody: JSON.stringify(remote),
        });
      }
    } catch (err) {
      result.errors++;
      ctx.log.warn({ err, paymentId: p.id }, 'reconciliation could not check a payment; next run retries');
    }
  }

  // Unpaid past the invoice's expiry (or the reservation's): the stock goes back to sale.
  const lapsed = await ctx.db
    .select({ providerPaymentId: payments.providerPaymentId })
    .from(payments)
    .innerJoin(orders, eq(orders.id, payments.orderId))
    .where(
      and(
        eq(payments.status, 'waiting'),
        isNotNull(payments.providerPaymentId),
        or(lt(payments.expiresAt, now), lt(orders.reservationExpiresAt, now)),
      ),
    )
    .limit(batchSize);
  for (const p of lapsed) {
    const r = await applyPaymentStatus({ ctx, providerPaymentId: p.providerPaymentId!, status: 'expired', source: 'poll' });
    if (r.verdict === 'applied') result.expired++;
  }

  const stuck = await ctx.db
    .select({ id: payments.id, orderId: payments.orderId })
    .from(payments)
    .where(and(eq(payments.status, 'creating'), lt(payments.createdAt, new Date(now.getTime() - STUCK_CREATING_MS))))
    .limit(batchSize);
  for (const s of stuck) {
    if (await failCheckoutPayment({ ctx, orderId: s.orderId, reason: 'invoice creation never completed' })) result.failedStuck++;
  }
  return result;
}

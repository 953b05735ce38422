// NOWPayments quotes an invoice's coin amount for a short while (`expiration_estimate_date`,
// minutes) though the payment itself stays open for days (`valid_until`). A buyer who pays a
// lapsed quote pays at a stale rate, so while invoices wait their quote is renewed with
// POST /payment/:id/update-merchant-estimate and the new amount is what we show and check.
import Big from 'big.js';
import { and, asc, eq, gt, isNotNull, isNull, lte, or } from 'drizzle-orm';
import { payments } from '../../db/schema.js';
import type { AppContext } from '../../platform/app-context.js';
import { recordRenewedEstimate } from './payment-records.js';
import { getPaymentProvider } from './provider.js';

export type RefreshStaleEstimatesOptions = {
  ctx: AppContext;
  now?: Date;
  /** At most this many invoices per run; the oldest lapsed quotes first. */
  batchSize?: number;
};

function sameEstimate(
  row: { payAmount: string | null; estimateExpiresAt: Date | null },
  estimate: { payAmount: string; estimateExpiresAt: Date | null },
): boolean {
  const sameAmount = row.payAmount !== null && new Big(row.payAmount).eq(estimate.payAmount);
  return sameAmount && row.estimateExpiresAt?.getTime() === estimate.estimateExpiresAt?.getTime();
}

/** Renews the lapsed quotes of waiting NOWPayments invoices; returns how many got a new quote. */
export async function refreshStaleEstimates({ ctx, now = new Date(), batchSize = 50 }: RefreshStaleEstimatesOptions): Promise<number> {
  const provider = await getPaymentProvider(ctx);
  if (provider.name !== 'nowpayments' || !provider.updateEstimate) return 0;
  const stale = await ctx.db
    .select({
      id: payments.id,
      orderId: payments.orderId,
      providerPaymentId: payments.providerPaymentId,
      payAmount: payments.payAmount,
      estimateExpiresAt: payments.estimateExpiresAt,
    })
    .from(payments)
    .where(
      and(
        eq(payments.provider, 'nowpayments'),
        eq(payments.status, 'waiting'),
        // Re-deposits are not quoted: only the invoice asks for an amount.
        isNull(payments.parentProviderPaymentId),
        isNotNull(payments.providerPaymentId),
        lte(payments.estimateExpiresAt, now),
        // A payment past its own life is the reconciler's to expire, not to re-quote.
        or(isNull(payments.expiresAt), gt(payments.expiresAt, now)),
      ),
    )
    .orderBy(asc(payments.estimateExpiresAt))
    .limit(batchSize);
  let renewed = 0;
  // One at a time: a background chore, and NOWPayments rate-limits the API key we check out with.
  for (const p of stale) {
    const providerPaymentId = p.providerPaymentId!;
    try {
      const estimate = await provider.updateEstimate(providerPaymentId);
      // Asked before NOWPayments' own clock says the quote lapsed, it answers the same quote.
      if (sameEstimate(p, estimate)) continue;
      // The new amount and its audit row commit together.
      if (await ctx.db.transaction((tx) => recordRenewedEstimate(tx, { ...p, providerPaymentId }, estimate))) renewed++;
    } catch (err) {
      // One unreadable answer must not stop the others; the next run tries again.
      ctx.log.warn({ err, providerPaymentId }, 'could not renew a payment estimate');
    }
  }
  return renewed;
}

// The fields of a NOWPayments payment object (GET /payment/:id, or a verified IPN body) that
// we use, read through one schema: wrong types and absurd amounts are refused here, not
// discovered later as a crash or a 16-second loop.
import { z } from 'zod';
import { InvalidAmountError, parseCoinAmount } from '../../lib/coin-amount.js';
import { AppError } from '../../lib/errors.js';
import { mapProviderStatus, type ProviderPayment } from '../payment-provider.js';

const idLike = z
  .union([z.string(), z.number()])
  .nullish()
  .transform((v) => (v == null ? null : String(v)));

const amount = z
  .union([z.string(), z.number()])
  .nullish()
  .transform((v, ctx) => {
    try {
      return parseCoinAmount(v);
    } catch (err) {
      if (!(err instanceof InvalidAmountError)) throw err;
      ctx.addIssue({ code: 'custom', message: `not a coin amount (${err.message})` });
      return z.NEVER;
    }
  });

/** Only text means something here; anything else is as good as absent. */
const lowerText = z
  .unknown()
  .optional()
  .transform((v) => (typeof v === 'string' ? v.toLowerCase() : null));

export const providerPaymentSchema = z.object({
  payment_id: idLike,
  payment_status: z.string().nullish(),
  actually_paid: amount,
  pay_amount: amount,
  pay_currency: lowerText,
  price_amount: amount,
  price_currency: lowerText,
  order_id: idLike,
  parent_payment_id: idLike,
  // A list of ids in the real API; anything else is read as none.
  payment_extra_ids: z
    .unknown()
    .optional()
    .transform((v) => (Array.isArray(v) ? v.filter((x) => typeof x === 'string' || typeof x === 'number').map(String) : [])),
});

export function parseProviderPayment(json: unknown, fallbackId = ''): ProviderPayment {
  const parsed = providerPaymentSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
    throw new AppError('validation_error', `Unreadable payment from the provider: ${where}${issue?.message ?? 'invalid'}`);
  }
  const p = parsed.data;
  return {
    providerPaymentId: p.payment_id ?? fallbackId,
    status: mapProviderStatus(p.payment_status),
    rawStatus: p.payment_status ?? '',
    actuallyPaid: p.actually_paid,
    payAmount: p.pay_amount,
    payCurrency: p.pay_currency,
    priceAmount: p.price_amount === null ? null : Number(p.price_amount),
    priceCurrency: p.price_currency,
    orderId: p.order_id,
    parentPaymentId: p.parent_payment_id,
    extraPaymentIds: p.payment_extra_ids,
  };
}

// The IPN webhook's use case. Webhooks are hints: verify, keep the raw delivery whatever
// it says, and converge through applyPaymentStatus like every other source.
import type { AppContext } from '../../context.js';
import { paymentEvents } from '../../db/schema.js';
import { AppError } from '../../lib/errors.js';
import { type ApplyPaymentStatusResult, applyPaymentStatus } from './apply-payment-status.js';
import { verifyIpnSignature } from './ipn-signature.js';
import { parseProviderPayment } from './nowpayments/nowpayments-provider.js';

export const IPN_SIGNATURE_HEADER = 'x-nowpayments-sig';

const PAYMENT_ID = /^[\w-]{1,100}$/;
/** Statuses that can move an order to paid (confirmed/sending when fulfilOnConfirmed is on). */
const PAYING_STATUSES = new Set<string>(['finished', 'confirmed', 'sending']);
/** How much of an unsigned or forged delivery is kept (enough to see what it was). */
const UNSIGNED_BODY_LIMIT = 4096;

export type ReceiveIpnOptions = {
  ctx: AppContext;
  rawBody: string;
  headers: Record<string, string | string[] | undefined>;
};

export type ReceiveIpnResult = { verdict: string; status?: string; orderStatus?: string };

export async function receiveIpn({ ctx, rawBody, headers }: ReceiveIpnOptions): Promise<ReceiveIpnResult> {
  let body: Record<string, unknown> | null = null;
  try {
    const parsed: unknown = JSON.parse(rawBody);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) body = parsed as Record<string, unknown>;
  } catch {
    // not JSON: recorded below as an invalid delivery
  }
  const sigHeader = headers[IPN_SIGNATURE_HEADER];
  const signature = Array.isArray(sigHeader) ? sigHeader[0] : sigHeader;
  const valid = body !== null && verifyIpnSignature(body, signature, ctx.config.nowpayments.ipnSecret);
  const claimed = body ? parseProviderPayment(body) : null;

  const paymentIdOk = !!claimed?.providerPaymentId && PAYMENT_ID.test(claimed.providerPaymentId);

  const record = async (verdict: string, result?: ApplyPaymentStatusResult) => {
    // PostgreSQL text cannot hold NUL: escape it, or the delivery is lost in a 500. Anyone can
    // post unsigned junk, so only signed deliveries are kept whole.
    const stored = escapeNul(rawBody);
    await ctx.db.insert(paymentEvents).values({
      source: 'ipn',
      providerPaymentId: paymentIdOk ? claimed!.providerPaymentId : null,
      // Only an order we resolved ourselves: a forged order_id is kept in the raw body, not here.
      orderId: result?.orderId ?? null,
      status: claimed?.rawStatus ? escapeNul(claimed.rawStatus).slice(0, 50) : null,
      signatureValid: valid,
      verdict,
      rawBody: valid ? stored : stored.slice(0, UNSIGNED_BODY_LIMIT),
      headers: flattenHeaders(headers),
    });
  };

  if (!valid || !body || !claimed) {
    await record(signature ? 'rejected_signature' : 'rejected_unsigned');
    throw new AppError('invalid_signature', 'Missing or invalid x-nowpayments-sig signature');
  }
  if (!claimed.providerPaymentId) {
    await record('rejected_no_payment_id');
    throw new AppError('validation_error', 'payment_id is required');
  }
  if (!paymentIdOk) {
    await record('rejected_bad_payment_id');
    throw new AppError('validation_error', 'payment_id is not a valid payment id');
  }
  if (!claimed.status) {
    // A status we do not know yet: accepted (so the provider stops retrying) and kept for review.
    await record('ignored_unknown_status');
    return { verdict: 'ignored_unknown_status' };
  }

  if (PAYING_STATUSES.has(claimed.status) && (!claimed.orderId || claimed.priceAmount == null || !claimed.priceCurrency)) {
    // Signed but incomplete: nothing to check it against, so it cannot pay an order.
    await record('rejected_mismatch');
    throw new AppError('unprocessable', 'IPN refused: order_id, price_amount and price_currency are required');
  }

  let result: ApplyPaymentStatusResult;
  try {
    result = await applyPaymentStatus({
      ctx,
      providerPaymentId: claimed.providerPaymentId,
      status: claimed.status,
      actuallyPaid: claimed.actuallyPaid,
      claimed: { orderId: claimed.orderId, priceAmount: claimed.priceAmount, priceCurrency: claimed.priceCurrency },
      source: 'ipn',
    });
  } catch (err) {
    await record('error').catch(() => {});
    throw err;
  }
  await record(result.verdict, result);
  if (result.verdict === 'unknown_payment') throw new AppError('not_found', 'Unknown payment_id');
  if (result.verdict === 'rejected_mismatch') {
    throw new AppError('unprocessable', `IPN refused: ${result.reason ?? 'does not match the order'}`);
  }
  return {
    verdict: result.verdict,
    ...(result.status ? { status: result.status } : {}),
    ...(result.orderStatus ? { orderStatus: result.orderStatus } : {}),
  };
}

function flattenHeaders(headers: ReceiveIpnOptions['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) {
    if (v === undefined) continue;
    out[escapeNul(k)] = escapeNul(Array.isArray(v) ? v.join(', ') : v);
  }
  return out;
}

/** NUL as the six characters `\u0000`, which PostgreSQL text and jsonb accept. */
export function escapeNul(value: string): string {
  return value.replaceAll('\u0000', '\\u0000');
}

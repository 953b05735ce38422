// The IPN webhook's use case. Webhooks are hints: verify, keep the raw delivery whatever
// it says, and converge through applyPaymentStatus like every other source. Anyone can post
// here, so nothing is read from a body before its signature verifies (ipn-signature.ts does
// only bounded work), and every delivery, whatever its shape, is recorded and answered 4xx.

import { parseProviderPayment } from '../../integrations/nowpayments/parse-provider-payment.js';
import type { ProviderPayment } from '../../integrations/payment-provider.js';
import { AppError } from '../../lib/errors.js';
import type { AppContext } from '../../platform/app-context.js';
import { recordIpnVerdict } from '../../platform/metrics.js';
import { type ApplyPaymentStatusResult, applyPaymentStatus } from './apply-payment-status.js';
import { isSignatureFormat, verifyIpn } from './ipn-signature.js';
import { recordPaymentEvent } from './payment-records.js';

export const IPN_SIGNATURE_HEADER = 'x-nowpayments-sig';

const PAYMENT_ID = /^[\w-]{1,100}$/;
/** Statuses that can move an order to paid (confirmed/sending when fulfilOnConfirmed is on). */
const PAYING_STATUSES = new Set<string>(['finished', 'confirmed', 'sending']);
/** How much of an unsigned or forged delivery is kept (enough to see what it was). */
const UNSIGNED_BODY_LIMIT = 4096;

export type ReceiveIpnOptions = {
  ctx: AppContext;
  /** The body as received; only its first bytes when `truncated`. */
  rawBody: string;
  /** The body was longer than the webhook reads (MAX_IPN_BYTES). */
  truncated?: boolean;
  headers: Record<string, string | string[] | undefined>;
};

export type ReceiveIpnResult = { verdict: string; status?: string; orderStatus?: string };

/** What a delivery says it is about, for the log: the payment id and status it names. */
type Label = { providerPaymentId: string | null; status: string | null };

export async function receiveIpn({ ctx, rawBody, truncated = false, headers }: ReceiveIpnOptions): Promise<ReceiveIpnResult> {
  const sigHeader = headers[IPN_SIGNATURE_HEADER];
  const signature = Array.isArray(sigHeader) ? sigHeader[0] : sigHeader;

  // PostgreSQL text cannot hold NUL: escape it, or the delivery is lost in a 500. Anyone can
  // post unsigned junk, so only signed deliveries are kept whole.
  const eventFields = (valid: boolean, label: Label) => {
    const stored = escapeNul(rawBody);
    return {
      source: 'ipn' as const,
      providerPaymentId: label.providerPaymentId,
      status: label.status,
      signatureValid: valid,
      rawBody: valid ? stored : stored.slice(0, UNSIGNED_BODY_LIMIT),
      headers: flattenHeaders(headers),
    };
  };
  /** A delivery that changes no status is recorded on its own. */
  const record = async (verdict: string, valid: boolean, label: Label) => {
    recordIpnVerdict(verdict);
    // Only an order we resolved ourselves: a forged order_id is kept in the raw body, not in orderId.
    await recordPaymentEvent(ctx.db, { ...eventFields(valid, label), orderId: null, verdict });
  };
  const reject = async (verdict: string, error: AppError): Promise<never> => {
    await record(verdict, false, truncated ? NO_LABEL : labelOf(rawBody));
    throw error;
  };

  if (!isSignatureFormat(signature)) {
    return reject(signature ? 'rejected_signature' : 'rejected_unsigned', invalidSignature());
  }
  // Checked after the header so an unsigned flood is told 401 like any other, before the
  // size: a body we did not read whole cannot be verified.
  if (truncated) return reject('rejected_too_large', new AppError('payload_too_large', 'An IPN body is never this large'));
  const verified = verifyIpn(rawBody, signature, ctx.config.nowpayments.ipnSecret);
  // A body nested past any real IPN cannot be verified (its canonical form is never built), so
  // like a wrong signature it is a 401: no one can tell a forger anything by shape.
  if (!verified.ok) return reject(verified.reason === 'too_deep' ? 'rejected_too_deep' : 'rejected_signature', invalidSignature());

  // Signed: from here the provider is speaking, and its fields are read through one schema.
  let claimed: ProviderPayment;
  try {
    claimed = parseProviderPayment(verified.body);
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    await record('rejected_malformed', true, labelOf(verified.body));
    throw err;
  }
  const paymentIdOk = PAYMENT_ID.test(claimed.providerPaymentId);
  const label: Label = {
    providerPaymentId: paymentIdOk ? claimed.providerPaymentId : null,
    status: claimed.rawStatus ? escapeNul(claimed.rawStatus).slice(0, 50) : null,
  };

  if (!claimed.providerPaymentId) {
    await record('rejected_no_payment_id', true, label);
    throw new AppError('validation_error', 'payment_id is required');
  }
  if (!paymentIdOk) {
    await record('rejected_bad_payment_id', true, label);
    throw new AppError('validation_error', 'payment_id is not a valid payment id');
  }
  if (!claimed.status) {
    // A status we do not know yet: accepted (so the provider stops retrying) and kept for review.
    await record('ignored_unknown_status', true, label);
    return { verdict: 'ignored_unknown_status' };
  }

  if (PAYING_STATUSES.has(claimed.status) && (!claimed.orderId || claimed.priceAmount == null || !claimed.priceCurrency)) {
    // Signed but incomplete: nothing to check it against, so it cannot pay an order.
    await record('rejected_mismatch', true, label);
    throw new AppError('unprocessable', 'IPN refused: order_id, price_amount and price_currency are required');
  }

  let result: ApplyPaymentStatusResult;
  try {
    // The delivery's audit row is written in the transaction that applies its status.
    result = await applyPaymentStatus({
      ctx,
      providerPaymentId: claimed.providerPaymentId,
      status: claimed.status,
      actuallyPaid: claimed.actuallyPaid,
      claimed: { orderId: claimed.orderId, priceAmount: claimed.priceAmount, priceCurrency: claimed.priceCurrency },
      source: 'ipn',
      event: { fields: eventFields(true, label) },
    });
  } catch (err) {
    // Rolled back with the status it tried to apply: the delivery is still kept, on its own.
    await record('error', true, label).catch(() => {});
    throw err;
  }
  recordIpnVerdict(result.verdict);
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

function invalidSignature(): AppError {
  return new AppError('invalid_signature', 'Missing or invalid x-nowpayments-sig signature');
}

const NO_LABEL: Label = { providerPaymentId: null, status: null };

/**
 * The payment id and status a refused delivery names, so it can be found next to the real
 * ones. Only top-level text or numbers are read: JSON.parse is native and iterative and the
 * body is bounded (MAX_IPN_BYTES), and nothing here recurses or spells out a number.
 */
function labelOf(body: string | Record<string, unknown>): Label {
  let parsed: unknown = body;
  if (typeof body === 'string') {
    try {
      parsed = JSON.parse(body);
    } catch {
      return NO_LABEL;
    }
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return NO_LABEL;
  const { payment_id: id, payment_status: status } = parsed as Record<string, unknown>;
  const idText = typeof id === 'string' || typeof id === 'number' ? String(id) : null;
  return {
    providerPaymentId: idText !== null && PAYMENT_ID.test(idText) ? idText : null,
    status: typeof status === 'string' && status ? escapeNul(status.slice(0, 50)).slice(0, 50) : null,
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

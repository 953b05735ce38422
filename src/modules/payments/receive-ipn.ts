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
import type { ProviderStatus } from './payment-status.js';

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

export async function receiveIpn(opts: ReceiveIpnOptions): Promise<ReceiveIpnResult> {
  const body = await verifyDelivery(opts);
  const read = await readClaim(opts, body);
  // A status we do not know yet: accepted (so the provider stops retrying) and kept for review.
  if (!read) return { verdict: 'ignored_unknown_status' };
  const result = await applyDelivery(opts, read.claimed, read.label);
  return {
    verdict: result.verdict,
    ...(result.status ? { status: result.status } : {}),
    ...(result.orderStatus ? { orderStatus: result.orderStatus } : {}),
  };
}

/**
 * PostgreSQL text cannot hold NUL: escape it, or the delivery is lost in a 500. Anyone can
 * post unsigned junk, so only signed deliveries are kept whole.
 */
function eventFields({ rawBody, headers }: ReceiveIpnOptions, valid: boolean, label: Label) {
  const stored = escapeNul(rawBody);
  return {
    source: 'ipn' as const,
    providerPaymentId: label.providerPaymentId,
    status: label.status,
    signatureValid: valid,
    rawBody: valid ? stored : stored.slice(0, UNSIGNED_BODY_LIMIT),
    headers: flattenHeaders(headers),
  };
}

/** A delivery that changes no status is recorded on its own. */
async function record(opts: ReceiveIpnOptions, verdict: string, valid: boolean, label: Label): Promise<void> {
  recordIpnVerdict(verdict);
  // Only an order we resolved ourselves: a forged order_id is kept in the raw body, not in orderId.
  await recordPaymentEvent(opts.ctx.db, { ...eventFields(opts, valid, label), orderId: null, verdict });
}

/** The signed body, or the delivery is recorded as refused and answered 401 (413 when too large). */
async function verifyDelivery(opts: ReceiveIpnOptions): Promise<Record<string, unknown>> {
  const { ctx, rawBody, truncated = false, headers } = opts;
  const reject = async (verdict: string, error: AppError): Promise<never> => {
    await record(opts, verdict, false, truncated ? NO_LABEL : labelOf(rawBody));
    throw error;
  };
  const sigHeader = headers[IPN_SIGNATURE_HEADER];
  const signature = Array.isArray(sigHeader) ? sigHeader[0] : sigHeader;
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
  return verified.body;
}

type Claim = ProviderPayment & { status: ProviderStatus };

/** Signed: from here the provider is speaking, and its fields are read through one schema. Null: a status we do not know. */
async function readClaim(opts: ReceiveIpnOptions, body: Record<string, unknown>): Promise<{ claimed: Claim; label: Label } | null> {
  let claimed: ProviderPayment;
  try {
    claimed = parseProviderPayment(body);
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    await record(opts, 'rejected_malformed', true, labelOf(body));
    throw err;
  }
  const paymentIdOk = PAYMENT_ID.test(claimed.providerPaymentId);
  const label: Label = {
    providerPaymentId: paymentIdOk ? claimed.providerPaymentId : null,
    status: claimed.rawStatus ? escapeNul(claimed.rawStatus).slice(0, 50) : null,
  };
  const refuse = async (verdict: string, error: AppError): Promise<never> => {
    await record(opts, verdict, true, label);
    throw error;
  };
  if (!claimed.providerPaymentId) return refuse('rejected_no_payment_id', new AppError('validation_error', 'payment_id is required'));
  if (!paymentIdOk) return refuse('rejected_bad_payment_id', new AppError('validation_error', 'payment_id is not a valid payment id'));
  const { status } = claimed;
  if (!status) {
    await record(opts, 'ignored_unknown_status', true, label);
    return null;
  }
  if (PAYING_STATUSES.has(status) && (!claimed.orderId || claimed.priceAmount == null || !claimed.priceCurrency)) {
    // Signed but incomplete: nothing to check it against, so it cannot pay an order.
    return refuse('rejected_mismatch', new AppError('unprocessable', 'IPN refused: order_id, price_amount and price_currency are required'));
  }
  return { claimed: { ...claimed, status }, label };
}

/** Converges like every other source; the delivery's audit row is written in the transaction that applies its status. */
async function applyDelivery(opts: ReceiveIpnOptions, claimed: Claim, label: Label): Promise<ApplyPaymentStatusResult> {
  let result: ApplyPaymentStatusResult;
  try {
    result = await applyPaymentStatus({
      ctx: opts.ctx,
      providerPaymentId: claimed.providerPaymentId,
      status: claimed.status,
      actuallyPaid: claimed.actuallyPaid,
      payAmount: claimed.payAmount,
      payCurrency: claimed.payCurrency,
      parentProviderPaymentId: claimed.parentPaymentId,
      claimed: { orderId: claimed.orderId, priceAmount: claimed.priceAmount, priceCurrency: claimed.priceCurrency },
      source: 'ipn',
      event: { fields: eventFields(opts, true, label) },
    });
  } catch (err) {
    // Rolled back with the status it tried to apply: the delivery is still kept, on its own.
    await record(opts, 'error', true, label).catch(() => {});
    throw err;
  }
  recordIpnVerdict(result.verdict);
  // A signed payment nothing of ours claims is kept and shown to admins (applyPaymentStatus did
  // both); a 404 would only make NOWPayments retry it for days.
  if (result.verdict === 'rejected_mismatch') {
    throw new AppError('unprocessable', `IPN refused: ${result.reason ?? 'does not match the order'}`);
  }
  return result;
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

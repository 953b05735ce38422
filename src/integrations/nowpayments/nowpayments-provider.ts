// NOWPayments over HTTP (https://documenter.getpostman.com/view/7907941/2s93JusNJt).

import { z } from 'zod';
import { coinAmountOrNull } from '../../lib/coin-amount.js';
import { AppError } from '../../lib/errors.js';
import type { AppContext } from '../../platform/app-context.js';
import {
  type CreatedProviderPayment,
  type CreateProviderPaymentInput,
  mapProviderStatus,
  PAYMENT_TTL_MS,
  type PaymentProvider,
  type ProviderPayment,
} from '../payment-provider.js';
import { parseProviderPayment } from './parse-provider-payment.js';

const TIMEOUT_MS = 10_000;
const CURRENCY_CACHE_MS = 10 * 60 * 1000;
const MINIMUM_TIMEOUT_MS = 3000;

type Json = Record<string, unknown>;

/** POST /payment's answer: an id, an address and an amount are required; the rest has fallbacks. */
const createdPaymentSchema = z.object({
  payment_id: z.union([z.string(), z.number()]),
  pay_address: z.string(),
  pay_amount: z.unknown().transform((value, c) => {
    const amount = coinAmountOrNull(value);
    if (amount === null) c.addIssue({ code: 'custom', message: 'pay_amount is not a coin amount' });
    return amount ?? z.NEVER;
  }),
  pay_currency: z.string().optional().catch(undefined),
  payment_status: z.unknown(),
  expiration_estimate_date: z.string().optional().catch(undefined),
});

export class NowPaymentsProvider implements PaymentProvider {
  readonly name = 'nowpayments' as const;
  private currencyCache: { at: number; list: string[] } | undefined;
  private currencyRequest: Promise<string[]> | undefined;

  constructor(private readonly ctx: AppContext) {}

  private async request(method: 'GET' | 'POST', path: string, body?: Json, timeoutMs = TIMEOUT_MS): Promise<Json> {
    const { apiUrl, apiKey } = this.ctx.config.nowpayments;
    let res: Response;
    try {
      res = await fetch(`${apiUrl}${path}`, {
        method,
        headers: {
          'x-api-key': apiKey ?? '',
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
        ...(body ? { body: JSON.stringify(body) } : {}),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      this.ctx.log.warn({ err, path }, 'NOWPayments unreachable');
      throw new AppError('provider_unavailable', 'The payment provider is not reachable right now. Please try again in a minute.');
    }
    const text = await res.text();
    let json: Json = {};
    try {
      json = text ? (JSON.parse(text) as Json) : {};
    } catch {
      // keep {}: the status code decides below
    }
    if (!res.ok) {
      this.ctx.log.warn({ status: res.status, path, body: text.slice(0, 500) }, 'NOWPayments error');
      if (res.status === 502 || res.status === 503 || res.status === 504 || res.status === 429) {
        throw new AppError('provider_unavailable', 'The payment provider is busy right now. Please try again in a minute.');
      }
      // The minimum moves with the market: a price that cleared the (cached) minimum can fall under it.
      if (res.status === 400 && json.code === 'AMOUNT_MINIMAL_ERROR') {
        throw new AppError(
          'unprocessable',
          'This price is below the smallest payment our provider accepts in this coin right now. Please choose another coin.',
        );
      }
      throw new AppError('provider_error', 'The payment provider could not create this payment. Please try again, or pick another coin.');
    }
    return json;
  }

  async createPayment(input: CreateProviderPaymentInput): Promise<CreatedProviderPayment> {
    const json = await this.request('POST', '/payment', {
      price_amount: input.priceAmountUsd,
      price_currency: 'usd',
      pay_currency: input.payCurrency,
      order_id: input.orderId,
      order_description: input.orderDescription,
      ipn_callback_url: input.ipnCallbackUrl,
    });
    const parsed = createdPaymentSchema.safeParse(json);
    if (!parsed.success) {
      this.ctx.log.error({ json }, 'NOWPayments answered POST /payment without an id, address or amount');
      throw new AppError('provider_error', 'The payment provider returned an incomplete invoice. Please try again.');
    }
    const created = parsed.data;
    const estimate = created.expiration_estimate_date ? new Date(created.expiration_estimate_date) : null;
    return {
      providerPaymentId: String(created.payment_id),
      payAddress: created.pay_address,
      payAmount: created.pay_amount,
      payCurrency: created.pay_currency?.toLowerCase() ?? input.payCurrency,
      status: mapProviderStatus(created.payment_status) ?? 'waiting',
      expiresAt: estimate && !Number.isNaN(estimate.getTime()) ? estimate : new Date(Date.now() + PAYMENT_TTL_MS),
    };
  }

  async getPayment(providerPaymentId: string): Promise<ProviderPayment> {
    const json = await this.request('GET', `/payment/${encodeURIComponent(providerPaymentId)}`);
    try {
      return parseProviderPayment(json, providerPaymentId);
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      this.ctx.log.error({ json, reason: err.message }, 'NOWPayments answered GET /payment with a payment we cannot read');
      throw new AppError('provider_error', 'The payment provider returned a payment we cannot read.');
    }
  }

  async listCurrencies(): Promise<string[]> {
    if (this.currencyCache && Date.now() - this.currencyCache.at < CURRENCY_CACHE_MS) return this.currencyCache.list;
    // Checkouts that arrive while the list is being fetched share that one request.
    this.currencyRequest ??= this.fetchCurrencies().finally(() => {
      this.currencyRequest = undefined;
    });
    return this.currencyRequest;
  }

  private async fetchCurrencies(): Promise<string[]> {
    const json = await this.request('GET', '/currencies');
    const list = Array.isArray(json.currencies)
      ? json.currencies.map((c) => (typeof c === 'string' ? c : String((c as Json)?.code ?? ''))).map((c) => c.toLowerCase())
      : [];
    this.currencyCache = { at: Date.now(), list };
    return list;
  }

  /** Asked for the pair pay coin → the merchant's payout coin; unknown without a payout coin. */
  async getMinimumUsd(currency: string): Promise<number | null> {
    const payout = this.ctx.config.nowpayments.payoutCurrency;
    if (!payout) return null;
    const q = new URLSearchParams({ currency_from: currency, currency_to: payout, fiat_equivalent: 'usd' });
    // A courtesy check in front of the buyer: it must not hold the checkout up for long.
    const json = await this.request('GET', `/min-amount?${q}`, undefined, MINIMUM_TIMEOUT_MS);
    const usd = json.fiat_equivalent == null ? Number.NaN : Number(json.fiat_equivalent);
    return Number.isFinite(usd) && usd > 0 ? usd : null;
  }

  async checkStatus(): Promise<boolean> {
    const json = await this.request('GET', '/status');
    return json.message === 'OK';
  }
}

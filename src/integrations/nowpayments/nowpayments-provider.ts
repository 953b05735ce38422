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
  type RenewedEstimate,
} from '../payment-provider.js';
import { parseProviderPayment } from './parse-provider-payment.js';
import { requestText, type TextResponse } from './request-text.js';

const TIMEOUT_MS = 10_000;
const CURRENCY_CACHE_MS = 10 * 60 * 1000;
const MINIMUM_TIMEOUT_MS = 3000;

type Json = Record<string, unknown>;

const payAmount = z.unknown().transform((value, c) => {
  const amount = coinAmountOrNull(value);
  if (amount === null) c.addIssue({ code: 'custom', message: 'pay_amount is not a coin amount' });
  return amount ?? z.NEVER;
});

/** A timestamp the provider may omit or garble: either way it is as good as absent. */
const optionalDate = z
  .unknown()
  .optional()
  .transform((v) => {
    const d = typeof v === 'string' ? new Date(v) : null;
    return d && !Number.isNaN(d.getTime()) ? d : null;
  });

/** Text or a number (a destination tag may come as either); empty means none. */
const optionalText = z
  .unknown()
  .optional()
  .transform((v) => (typeof v === 'string' && v.trim() ? v.trim() : typeof v === 'number' && Number.isFinite(v) ? String(v) : null));

/** POST /payment's answer: an id, an address and an amount are required; the rest has fallbacks. */
const createdPaymentSchema = z.object({
  payment_id: z.union([z.string(), z.number()]),
  pay_address: z.string(),
  pay_amount: payAmount,
  pay_currency: z.string().optional().catch(undefined),
  payment_status: z.unknown(),
  valid_until: optionalDate,
  expiration_estimate_date: optionalDate,
  network: optionalText,
  payin_extra_id: optionalText,
});

/** POST /payment/:id/update-merchant-estimate: `{ id, token_id, pay_amount, expiration_estimate_date }`. */
const renewedEstimateSchema = z.object({ pay_amount: payAmount, expiration_estimate_date: optionalDate });

/** The codes of GET /merchant/coins (`selectedCurrencies`) or GET /currencies (`currencies`), lower-case. */
function currencyCodes(list: unknown): string[] {
  if (!Array.isArray(list)) return [];
  return list
    .map((c) => (typeof c === 'string' ? c : String((c as Json)?.code ?? '')))
    .map((c) => c.trim().toLowerCase())
    .filter(Boolean);
}

export class NowPaymentsProvider implements PaymentProvider {
  readonly name = 'nowpayments' as const;
  private currencyCache: { at: number; list: string[] } | undefined;
  private currencyRequest: Promise<string[]> | undefined;

  constructor(private readonly ctx: AppContext) {}

  private async request(method: 'GET' | 'POST', path: string, body?: Json, timeoutMs = TIMEOUT_MS): Promise<Json> {
    const { apiUrl, apiKey } = this.ctx.config.nowpayments;
    let res: TextResponse;
    try {
      res = await requestText({
        method,
        url: `${apiUrl}${path}`,
        headers: {
          'x-api-key': apiKey ?? '',
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
        body: body ? JSON.stringify(body) : undefined,
        timeoutMs,
      });
    } catch (err) {
      this.ctx.log.warn({ err, path }, 'NOWPayments unreachable');
      throw new AppError('provider_unavailable', 'The payment provider is not reachable right now. Please try again in a minute.');
    }
    const { text } = res;
    let json: Json = {};
    try {
      json = text ? (JSON.parse(text) as Json) : {};
    } catch {
      // keep {}: the status code decides below
    }
    if (res.status < 200 || res.status > 299) {
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
    return {
      providerPaymentId: String(created.payment_id),
      payAddress: created.pay_address,
      payAmount: created.pay_amount,
      payCurrency: created.pay_currency?.toLowerCase() ?? input.payCurrency,
      status: mapProviderStatus(created.payment_status) ?? 'waiting',
      // valid_until is the payment's life; expiration_estimate_date only the quote's (it is
      // renewed while the buyer waits). Without valid_until, our own TTL: never promise longer.
      expiresAt: created.valid_until ?? new Date(Date.now() + PAYMENT_TTL_MS),
      estimateExpiresAt: created.expiration_estimate_date,
      network: created.network?.toLowerCase() ?? null,
      payinExtraId: created.payin_extra_id,
    };
  }

  async updateEstimate(providerPaymentId: string): Promise<RenewedEstimate> {
    const json = await this.request('POST', `/payment/${encodeURIComponent(providerPaymentId)}/update-merchant-estimate`);
    const parsed = renewedEstimateSchema.safeParse(json);
    if (!parsed.success) {
      this.ctx.log.error({ json, providerPaymentId }, 'NOWPayments answered update-merchant-estimate without an amount');
      throw new AppError('provider_error', 'The payment provider returned an estimate we cannot read.');
    }
    return { payAmount: parsed.data.pay_amount, estimateExpiresAt: parsed.data.expiration_estimate_date };
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

  /**
   * The coins this merchant enabled in the dashboard (GET /merchant/coins): GET /currencies lists
   * every coin NOWPayments supports, and an invoice in a coin the merchant did not enable fails.
   * When that list cannot be had (or names none), the supported list as before.
   */
  async listCurrencies(): Promise<string[]> {
    if (this.currencyCache && Date.now() - this.currencyCache.at < CURRENCY_CACHE_MS) return this.currencyCache.list;
    // Checkouts that arrive while the list is being fetched share that one request.
    this.currencyRequest ??= this.fetchCurrencies().finally(() => {
      this.currencyRequest = undefined;
    });
    return this.currencyRequest;
  }

  private async fetchCurrencies(): Promise<string[]> {
    let list: string[] = [];
    try {
      const json = await this.request('GET', '/merchant/coins');
      list = currencyCodes(json.selectedCurrencies ?? json.currencies);
    } catch (err) {
      this.ctx.log.warn({ err }, 'could not read the merchant coins; using the supported currencies');
    }
    if (list.length === 0) list = currencyCodes((await this.request('GET', '/currencies')).currencies);
    this.currencyCache = { at: Date.now(), list };
    return list;
  }

  /**
   * Asked for the pair pay coin → the merchant's payout coin; without a payout coin, for the pay
   * coin alone (currency_from only), as the SDK asks it.
   */
  async getMinimumUsd(currency: string): Promise<number | null> {
    const payout = this.ctx.config.nowpayments.payoutCurrency;
    const q = new URLSearchParams({ currency_from: currency, ...(payout ? { currency_to: payout } : {}), fiat_equivalent: 'usd' });
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

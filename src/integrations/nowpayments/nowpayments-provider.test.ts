// The NOWPayments adapter against the fake, which answers as the documented API does: the
// invoice's life and quote, memo coins, renewing a quote, the merchant's coins, the minimum.
import { afterEach, describe, expect, it } from 'vitest';
import { type FakeNowPayments, type FakeNowPaymentsOptions, startFakeNowPayments } from '../../../test/fakes/nowpayments.js';
import type { AppContext } from '../../platform/app-context.js';
import { NowPaymentsProvider } from './nowpayments-provider.js';

const quiet = { warn() {}, error() {}, info() {} };

describe('NowPaymentsProvider', () => {
  let np: FakeNowPayments | undefined;
  afterEach(async () => {
    await np?.close();
    np = undefined;
  });

  const start = async (fake: FakeNowPaymentsOptions = {}, payoutCurrency?: string) => {
    np = await startFakeNowPayments(fake);
    const ctx = { config: { nowpayments: { apiUrl: np.url, apiKey: np.apiKey, payoutCurrency } }, log: quiet } as unknown as AppContext;
    return { np, provider: new NowPaymentsProvider(ctx) };
  };
  const input = (payCurrency: string) => ({
    priceAmountUsd: 40,
    payCurrency,
    orderId: 'o-1',
    orderDescription: 'Bronze',
    ipnCallbackUrl: 'http://127.0.0.1:9/ipn',
  });

  it('takes the payment life from valid_until and the quote life from expiration_estimate_date', async () => {
    const { np, provider } = await start({ currencies: ['usdttrc20', 'xrp'] });
    const created = await provider.createPayment(input('usdttrc20'));
    const fake = np.payments.get(created.providerPaymentId)!;
    expect(created.expiresAt.toISOString()).toBe(fake.valid_until);
    expect(created.estimateExpiresAt?.toISOString()).toBe(fake.expiration_estimate_date);
    expect(created.expiresAt.getTime() - created.estimateExpiresAt!.getTime()).toBeGreaterThan(6 * 24 * 3600 * 1000);
    expect(created).toMatchObject({ network: 'trx', payinExtraId: null });

    const memo = await provider.createPayment(input('xrp'));
    expect(memo.payinExtraId).toMatch(/^\d+$/);
    expect(memo.payinExtraId).toBe(np.payments.get(memo.providerPaymentId)!.payin_extra_id);
  });

  it('renews a lapsed quote through update-merchant-estimate, and leaves a live one as it is', async () => {
    const { np, provider } = await start();
    const created = await provider.createPayment(input('btc'));
    np.setRate('btc', 50_000);
    expect(await provider.updateEstimate(created.providerPaymentId)).toEqual({ payAmount: created.payAmount, estimateExpiresAt: created.estimateExpiresAt });

    np.payments.get(created.providerPaymentId)!.expiration_estimate_date = new Date(Date.now() - 1000).toISOString();
    const renewed = await provider.updateEstimate(created.providerPaymentId);
    expect(renewed.payAmount).toBe('0.0008');
    expect(renewed.estimateExpiresAt!.getTime()).toBeGreaterThan(Date.now());
    expect(np.requests.at(-1)).toMatchObject({ method: 'POST', path: `/payment/${created.providerPaymentId}/update-merchant-estimate` });
  });

  it("lists the merchant's enabled coins, falling back to the supported ones when that fails", async () => {
    const { np, provider } = await start({ currencies: ['btc', 'eth', 'ltc'], merchantCoins: ['btc', 'ltc'] });
    expect(await provider.listCurrencies()).toEqual(['btc', 'ltc']);
    np.failNext(500, '/merchant/coins');
    const fresh = new NowPaymentsProvider({ config: { nowpayments: { apiUrl: np.url, apiKey: np.apiKey } }, log: quiet } as unknown as AppContext);
    expect(await fresh.listCurrencies()).toEqual(['btc', 'eth', 'ltc']);
  });

  it('asks the minimum for the pay coin alone without a payout coin, and for the pair with one', async () => {
    const { np, provider } = await start();
    np.setMinimumUsd('btc', 12);
    expect(await provider.getMinimumUsd('btc')).toBe(12);
    expect(np.requests.at(-1)!.path).toBe('/min-amount?currency_from=btc&fiat_equivalent=usd');
    await np.close();

    const paired = await start({}, 'usdttrc20');
    expect(await paired.provider.getMinimumUsd('ltc')).toBe(1);
    expect(paired.np.requests.at(-1)!.path).toBe('/min-amount?currency_from=ltc&currency_to=usdttrc20&fiat_equivalent=usd');
  });
});

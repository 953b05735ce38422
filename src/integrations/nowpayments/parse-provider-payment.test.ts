import { describe, expect, it } from 'vitest';
import { parseProviderPayment } from './parse-provider-payment.js';

describe('reading a NOWPayments payment object', () => {
  it('reads the fields we use, amounts as exact decimal strings', () => {
    const p = parseProviderPayment({
      payment_id: 5077125051,
      payment_status: 'finished',
      actually_paid: 0.00046154,
      pay_amount: '0.000461540',
      pay_currency: 'BTC',
      price_amount: 30,
      price_currency: 'USD',
      order_id: 'abc',
      extra: { ignored: [1, 2] },
    });
    expect(p).toEqual({
      providerPaymentId: '5077125051',
      status: 'finished',
      rawStatus: 'finished',
      actuallyPaid: '0.00046154',
      payAmount: '0.00046154',
      payCurrency: 'btc',
      priceAmount: 30,
      priceCurrency: 'usd',
      orderId: 'abc',
      parentPaymentId: null,
      extraPaymentIds: [],
    });
  });

  it('reads a re-deposit link both ways: the parent it tops up, and a parent listing its children', () => {
    expect(parseProviderPayment({ payment_id: 2, parent_payment_id: 1, payment_extra_ids: null })).toMatchObject({ parentPaymentId: '1', extraPaymentIds: [] });
    expect(parseProviderPayment({ payment_id: 1, payment_extra_ids: [2, '3', { x: 1 }] })).toMatchObject({
      parentPaymentId: null,
      extraPaymentIds: ['2', '3'],
    });
  });

  it('treats absent fields as none and keeps an unknown status raw', () => {
    expect(parseProviderPayment({ payment_status: 'brand_new' }, 'fallback')).toMatchObject({
      providerPaymentId: 'fallback',
      status: null,
      rawStatus: 'brand_new',
      actuallyPaid: null,
      priceAmount: null,
      orderId: null,
    });
  });

  it('refuses wrong types and absurd amounts with a validation error', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 20_000; i++) deep = [deep];
    for (const body of [
      { payment_id: deep },
      { payment_id: { a: 1 } },
      { payment_id: 1, payment_status: 3 },
      { payment_id: 1, actually_paid: '1e120000' },
      { payment_id: 1, actually_paid: Number.POSITIVE_INFINITY },
      { payment_id: 1, pay_amount: '-1' },
      { payment_id: 1, price_amount: '1e400' },
      [1],
      null,
    ]) {
      expect(() => parseProviderPayment(body)).toThrow(expect.objectContaining({ code: 'validation_error' }));
    }
  });
});

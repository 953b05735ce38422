// A NOWPayments stand-in speaking its HTTP API on a free port, so the real client code
// runs in tests. Test controls change a payment's state and deliver (or lose) signed IPNs.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { signIpn } from '../../src/modules/payments/ipn-signature.js';
import { DEFAULT_RATES, ESTIMATE_VALIDITY_MS, networkOf, PAYMENT_VALIDITY_MS, payinExtraIdFor } from './nowpayments-coins.js';

export type FakePayment = {
  payment_id: number;
  payment_status: string;
  pay_address: string;
  price_amount: number;
  price_currency: string;
  pay_amount: number;
  actually_paid: number;
  pay_currency: string;
  order_id: string;
  order_description: string;
  ipn_callback_url: string;
  purchase_id: string;
  created_at: string;
  updated_at: string;
  /** When the rate estimate (pay_amount) lapses: POST /payment/:id/update-merchant-estimate renews it. */
  expiration_estimate_date: string;
  /** When NOWPayments stops watching the address (7 days after creation). */
  valid_until: string;
  network: string;
  /** The memo / destination tag for coins that need one beside the address; null otherwise. */
  payin_extra_id: string | null;
  /** Set on a re-deposit: the payment whose address it was sent to. */
  parent_payment_id: number | null;
  /** On a parent: its re-deposits, in arrival order (null while it has none, as the API says). */
  payment_extra_ids: number[] | null;
};

export type FakeRequest = { method: string; path: string; headers: IncomingMessage['headers']; body: unknown };

export type SetStatusOptions = { actuallyPaid?: number; sendIpn?: boolean };

export type RedepositOptions = {
  /** The child's status; by default `finished` when it covers what the parent still missed, else `partially_paid`. */
  status?: string;
  /** false: the child's IPN is lost (never sent), so only a poll can find it. */
  sendIpn?: boolean;
};

export type Redeposit = { paymentId: string; payment: FakePayment; ipnStatus: number | null };

/** A payment as GET /payment/:id and the IPN show it (the docs' webhook example has these fields). */
function paymentView(p: FakePayment): Record<string, unknown> {
  const { ipn_callback_url: _ipn, expiration_estimate_date: _exp, valid_until: _valid, network: _network, ...rest } = p;
  return { ...rest, invoice_id: null, outcome_amount: p.actually_paid, outcome_currency: p.pay_currency };
}

export type FakeNowPayments = {
  url: string;
  apiKey: string;
  ipnSecret: string;
  requests: FakeRequest[];
  payments: Map<string, FakePayment>;
  /** The next request (optionally only to `path`) answers with this status code. */
  failNext(statusCode: number, path?: string): void;
  /** Sets a coin's USD rate: estimates renewed after this use it. */
  setRate(currency: string, usd: number): void;
  /** Sets a coin's minimum payment, in USD (default $1): `/min-amount` reports it and `POST /payment` enforces it. */
  setMinimumUsd(currency: string, usd: number): void;
  /** Updates a payment and, unless `sendIpn: false` (a lost IPN), POSTs the signed IPN. Returns the IPN response status. */
  setStatus(paymentId: string | number, status: string, opts?: SetStatusOptions): Promise<number | null>;
  /**
   * The buyer sends `amount` more (in the parent's coin) to the parent's address: NOWPayments
   * records it as a new child payment (own payment_id, `parent_payment_id`, listed in the
   * parent's `payment_extra_ids`) and signs an IPN for the child, not for the parent.
   */
  redeposit(parentPaymentId: string | number, amount: number, opts?: RedepositOptions): Promise<Redeposit>;
  ipnBody(paymentId: string | number): Record<string, unknown>;
  /** Our env for the app under test. */
  env(): Record<string, string>;
  close(): Promise<void>;
};

export type FakeNowPaymentsOptions = {
  /** What GET /currencies lists (all the coins NOWPayments supports). */
  currencies?: string[];
  /** What GET /merchant/coins lists (the coins this merchant enabled); defaults to `currencies`. */
  merchantCoins?: string[];
};

export async function startFakeNowPayments(opts: FakeNowPaymentsOptions = {}): Promise<FakeNowPayments> {
  const apiKey = `fake-key-${randomBytes(6).toString('hex')}`;
  const ipnSecret = `fake-ipn-${randomBytes(12).toString('hex')}`;
  const requests: FakeRequest[] = [];
  const payments = new Map<string, FakePayment>();
  const failures: { status: number; path?: string | undefined }[] = [];
  let nextId = 5_000_000_000;
  const currencies = opts.currencies ?? ['btc', 'eth', 'sol', 'ltc', 'usdttrc20', 'usdterc20', 'xmr', 'doge'];
  const merchantCoins = opts.merchantCoins ?? currencies;
  const rates = new Map(Object.entries(DEFAULT_RATES));
  const inCoin = (usd: number, coin: string) => Number((usd / (rates.get(coin) ?? 1)).toFixed(8));
  const minimumUsd = new Map<string, number>();
  const minimumOf = (coin: string) => minimumUsd.get(coin) ?? 1;

  const send = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = text;
    }
    const u = new URL(req.url ?? '/', 'http://fake');
    const path = u.pathname.replace(/^\/v1/, '');
    requests.push({ method: req.method ?? 'GET', path: path + u.search, headers: req.headers, body });

    const fi = failures.findIndex((f) => !f.path || path.startsWith(f.path));
    if (fi >= 0) {
      const [f] = failures.splice(fi, 1);
      return send(res, f!.status, { statusCode: f!.status, code: 'FAKE_FAILURE', message: 'fake failure' });
    }
    if (path === '/status' && req.method === 'GET') return send(res, 200, { message: 'OK' });
    if (req.headers['x-api-key'] !== apiKey) {
      return send(res, 403, { status: false, statusCode: 403, code: 'INVALID_API_KEY', message: 'Invalid api key' });
    }
    if (path === '/currencies' && req.method === 'GET') return send(res, 200, { currencies });
    // As documented: the codes the merchant ticked in the dashboard, upper-case.
    if (path === '/merchant/coins' && req.method === 'GET') return send(res, 200, { selectedCurrencies: merchantCoins.map((c) => c.toUpperCase()) });
    if (path === '/min-amount' && req.method === 'GET') {
      // As NOWPayments: the minimum in the coin, and with `fiat_equivalent` its value in that fiat.
      const from = (u.searchParams.get('currency_from') ?? '').toLowerCase();
      const usd = minimumOf(from);
      const body: Record<string, unknown> = {
        currency_from: from,
        currency_to: u.searchParams.get('currency_to'),
        min_amount: inCoin(usd, from),
      };
      if (u.searchParams.get('fiat_equivalent') === 'usd') body.fiat_equivalent = usd;
      return send(res, 200, body);
    }
    if (path === '/payment' && req.method === 'POST') {
      const b = (body ?? {}) as Record<string, unknown>;
      const payCurrency = String(b.pay_currency ?? '').toLowerCase();
      const price = Number(b.price_amount);
      if (!currencies.includes(payCurrency) || !Number.isFinite(price) || price <= 0 || !b.order_id) {
        return send(res, 400, { status: false, statusCode: 400, code: 'BAD_REQUEST', message: 'bad payment request' });
      }
      if (price < minimumOf(payCurrency)) {
        return send(res, 400, { status: false, statusCode: 400, code: 'AMOUNT_MINIMAL_ERROR', message: 'amountTo is too small' });
      }
      const now = new Date();
      const p: FakePayment = {
        payment_id: nextId++,
        payment_status: 'waiting',
        pay_address: `fake${payCurrency}${randomBytes(16).toString('hex')}`,
        price_amount: price,
        price_currency: String(b.price_currency ?? 'usd').toLowerCase(),
        pay_amount: inCoin(price, payCurrency),
        actually_paid: 0,
        pay_currency: payCurrency,
        order_id: String(b.order_id),
        order_description: String(b.order_description ?? ''),
        ipn_callback_url: String(b.ipn_callback_url ?? ''),
        purchase_id: String(nextId * 7),
        created_at: now.toISOString(),
        updated_at: now.toISOString(),
        expiration_estimate_date: new Date(now.getTime() + ESTIMATE_VALIDITY_MS).toISOString(),
        valid_until: new Date(now.getTime() + PAYMENT_VALIDITY_MS).toISOString(),
        network: networkOf(payCurrency),
        payin_extra_id: payinExtraIdFor(payCurrency),
        parent_payment_id: null,
        payment_extra_ids: null,
      };
      payments.set(String(p.payment_id), p);
      return send(res, 201, p);
    }
    const m = /^\/payment\/([^/]+)(\/update-merchant-estimate)?$/.exec(path);
    const p = m ? payments.get(decodeURIComponent(m[1]!)) : undefined;
    if (m && !p) return send(res, 404, { status: false, statusCode: 404, code: 'NOT_FOUND', message: 'payment not found' });
    if (p && !m![2] && req.method === 'GET') return send(res, 200, paymentView(p));
    if (p && m![2] && req.method === 'POST') {
      // As documented: before expiration_estimate_date the current estimate comes back unchanged.
      if (p.payment_status === 'waiting' && Date.parse(p.expiration_estimate_date) <= Date.now()) {
        p.pay_amount = inCoin(p.price_amount, p.pay_currency);
        p.expiration_estimate_date = new Date(Date.now() + ESTIMATE_VALIDITY_MS).toISOString();
        p.updated_at = new Date().toISOString();
      }
      return send(res, 200, {
        id: String(p.payment_id),
        token_id: 'fake-token',
        pay_amount: p.pay_amount,
        expiration_estimate_date: p.expiration_estimate_date,
      });
    }
    return send(res, 404, { message: 'not found' });
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err) => send(res, 500, { message: String(err) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;

  const ipnBody = (paymentId: string | number) => {
    const p = payments.get(String(paymentId));
    if (!p) throw new Error(`fake NOWPayments: no payment ${paymentId}`);
    return { ...paymentView(p), fee: { currency: p.pay_currency, depositFee: 0, withdrawalFee: 0, serviceFee: 0 } };
  };

  const deliverIpn = async (p: FakePayment): Promise<number> => {
    const body = ipnBody(p.payment_id);
    const res = await fetch(p.ipn_callback_url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-nowpayments-sig': signIpn(body, ipnSecret) },
      body: JSON.stringify(body),
    });
    await res.text();
    return res.status;
  };

  /** What the parent and its earlier re-deposits have brought in, against the parent's pay_amount. */
  const stillMissing = (parent: FakePayment): number => {
    let got = parent.actually_paid;
    for (const id of parent.payment_extra_ids ?? []) got += payments.get(String(id))?.actually_paid ?? 0;
    return Math.max(0, Number((parent.pay_amount - got).toFixed(8)));
  };

  return {
    url,
    apiKey,
    ipnSecret,
    requests,
    payments,
    failNext(statusCode, path) {
      failures.push({ status: statusCode, path });
    },
    setRate(currency, usd) {
      rates.set(currency.toLowerCase(), usd);
    },
    setMinimumUsd(currency, usd) {
      minimumUsd.set(currency.toLowerCase(), usd);
    },
    async setStatus(paymentId, status, o = {}) {
      const p = payments.get(String(paymentId));
      if (!p) throw new Error(`fake NOWPayments: no payment ${paymentId}`);
      p.payment_status = status;
      if (o.actuallyPaid !== undefined) p.actually_paid = o.actuallyPaid;
      else if (['confirming', 'confirmed', 'sending', 'finished'].includes(status)) p.actually_paid = p.pay_amount;
      p.updated_at = new Date().toISOString();
      if (o.sendIpn === false) return null;
      return deliverIpn(p);
    },
    async redeposit(parentPaymentId, amount, o = {}) {
      const parent = payments.get(String(parentPaymentId));
      if (!parent) throw new Error(`fake NOWPayments: no payment ${parentPaymentId}`);
      if (parent.parent_payment_id !== null) throw new Error('fake NOWPayments: re-deposits hang off the first payment, not a child');
      const missing = stillMissing(parent);
      const now = new Date().toISOString();
      // The child carries the parent's order and address; what it was expected to bring is what
      // the parent still missed, so its own status says whether it completed the purchase.
      const child: FakePayment = {
        ...parent,
        payment_id: nextId++,
        payment_status: o.status ?? (amount >= missing ? 'finished' : 'partially_paid'),
        pay_amount: missing,
        actually_paid: amount,
        created_at: now,
        updated_at: now,
        parent_payment_id: parent.payment_id,
        payment_extra_ids: null,
      };
      payments.set(String(child.payment_id), child);
      parent.payment_extra_ids = [...(parent.payment_extra_ids ?? []), child.payment_id];
      const ipnStatus = o.sendIpn === false ? null : await deliverIpn(child);
      return { paymentId: String(child.payment_id), payment: child, ipnStatus };
    },
    ipnBody,
    env() {
      return { NOWPAYMENTS_API_KEY: apiKey, NOWPAYMENTS_IPN_SECRET: ipnSecret, NOWPAYMENTS_API_URL: url };
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

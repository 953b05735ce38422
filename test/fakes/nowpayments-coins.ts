// What the fake NOWPayments knows about coins: demo rates, the network each coin travels on,
// and which coins need a memo (payin_extra_id) beside the address, as the real API reports them.
import { randomInt } from 'node:crypto';

/** USD per coin; tests move them with setRate to make an estimate worth refreshing. */
export const DEFAULT_RATES: Record<string, number> = { btc: 65000, eth: 3200, sol: 150, ltc: 80, usdttrc20: 1, usdterc20: 1, xrp: 0.5, xlm: 0.1 };

/** NOWPayments' `network` for a pay currency: tokens name the chain they ride on. */
const NETWORKS: Record<string, string> = { usdttrc20: 'trx', usdterc20: 'eth', usdtsol: 'sol', usdcsol: 'sol' };

export function networkOf(coin: string): string {
  return NETWORKS[coin] ?? coin;
}

/** Coins whose deposits share an address and are told apart by a memo or destination tag. */
const MEMO_COINS = new Set(['xrp', 'xlm', 'ton', 'eos', 'bnbmainnet', 'atom']);

export function payinExtraIdFor(coin: string): string | null {
  return MEMO_COINS.has(coin) ? String(randomInt(100_000_000, 999_999_999)) : null;
}

/** How long NOWPayments watches a payment's address (`valid_until`), and how long a rate estimate holds. */
export const PAYMENT_VALIDITY_MS = 7 * 24 * 3600 * 1000;
export const ESTIMATE_VALIDITY_MS = 20 * 60 * 1000;

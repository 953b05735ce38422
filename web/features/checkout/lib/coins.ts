import { formatCoinAmount } from '../../../lib/format';

type Coin = { code: string; name: string; network: string; uriScheme?: string };

const coins: Record<string, Coin> = {
  btc: { code: 'BTC', name: 'Bitcoin', network: 'Bitcoin', uriScheme: 'bitcoin' },
  eth: { code: 'ETH', name: 'Ethereum', network: 'Ethereum (ERC-20 network)', uriScheme: 'ethereum' },
  sol: { code: 'SOL', name: 'Solana', network: 'Solana', uriScheme: 'solana' },
  ltc: { code: 'LTC', name: 'Litecoin', network: 'Litecoin', uriScheme: 'litecoin' },
  usdttrc20: { code: 'USDT', name: 'TRON', network: 'TRON (TRC-20)' },
};

export function coinInfo(currency: string): Coin {
  return coins[currency.toLowerCase()] ?? { code: currency.toUpperCase(), name: currency.toUpperCase(), network: currency.toUpperCase() };
}

/** "BTC · Bitcoin", "USDT · TRON". */
export function coinLabel(currency: string): string {
  const c = coinInfo(currency);
  return `${c.code} · ${c.name}`;
}

/** A wallet-readable payment URI where the coin has one, so the wallet prefills the amount. */
export function paymentUri(currency: string, address: string, amount: number | string): string {
  const scheme = coinInfo(currency).uriScheme;
  if (!scheme) return address;
  return `${scheme}:${address}?amount=${formatCoinAmount(amount)}`;
}

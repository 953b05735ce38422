type Coin = { code: string; name: string; network: string };

const coins: Record<string, Coin> = {
  btc: { code: 'BTC', name: 'Bitcoin', network: 'Bitcoin' },
  eth: { code: 'ETH', name: 'Ethereum', network: 'Ethereum (ERC-20 network)' },
  sol: { code: 'SOL', name: 'Solana', network: 'Solana' },
  ltc: { code: 'LTC', name: 'Litecoin', network: 'Litecoin' },
  usdttrc20: { code: 'USDT', name: 'TRON', network: 'TRON (TRC-20)' },
  // Memo coins: one shared deposit address, the payment told apart by its memo / destination tag.
  xrp: { code: 'XRP', name: 'XRP Ledger', network: 'XRP Ledger' },
  xlm: { code: 'XLM', name: 'Stellar', network: 'Stellar' },
};

export function coinInfo(currency: string): Coin {
  return coins[currency.toLowerCase()] ?? { code: currency.toUpperCase(), name: currency.toUpperCase(), network: currency.toUpperCase() };
}

/** "BTC · Bitcoin", "USDT · TRON". */
export function coinLabel(currency: string): string {
  const c = coinInfo(currency);
  return `${c.code} · ${c.name}`;
}

/** The provider's network codes (`payments.network`) in words. */
const networks: Record<string, string> = {
  btc: 'Bitcoin',
  ltc: 'Litecoin',
  eth: 'Ethereum (ERC-20)',
  trx: 'TRON (TRC-20)',
  bsc: 'BNB Smart Chain (BEP-20)',
  sol: 'Solana',
  matic: 'Polygon',
  xrp: 'XRP Ledger',
  xlm: 'Stellar',
};

/** The network to send on: what the provider named for this payment, else the coin's own. */
export function networkName(currency: string, network?: string | null): string {
  if (network) return networks[network.toLowerCase()] ?? network.toUpperCase();
  return coinInfo(currency).network;
}

// Payment links a wallet opens with the amount filled in (the QR code and "Open in wallet").
// Each coin gets its own standard; where none is widely supported the link is the bare address,
// and the page tells the buyer to type the amount themselves.
import Big from 'big.js';

type Uri =
  /** BIP-21 (`bitcoin:`) and the coins that copied it: amount in whole coins. */
  | { kind: 'bip21'; scheme: string }
  /** EIP-681 for the chain's own coin: `value` in wei. */
  | { kind: 'eip681-native'; chainId: number }
  /** EIP-681 calling the token's `transfer`: `uint256` in the token's smallest unit. */
  | { kind: 'eip681-token'; chainId: number; token: string; decimals: number }
  /** Solana Pay: amount in whole units; `spl-token` names the mint for a token. */
  | { kind: 'solana-pay'; splToken?: string };

/** NOWPayments' coin codes. Token contracts are the issuers' mainnet ones. */
const uris: Record<string, Uri> = {
  btc: { kind: 'bip21', scheme: 'bitcoin' },
  ltc: { kind: 'bip21', scheme: 'litecoin' },
  bch: { kind: 'bip21', scheme: 'bitcoincash' },
  doge: { kind: 'bip21', scheme: 'dogecoin' },
  eth: { kind: 'eip681-native', chainId: 1 },
  usdterc20: { kind: 'eip681-token', chainId: 1, token: '0xdAC17F958D2ee523a2206206994597C13D831ec7', decimals: 6 },
  usdcerc20: { kind: 'eip681-token', chainId: 1, token: '0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48', decimals: 6 },
  usdtbsc: { kind: 'eip681-token', chainId: 56, token: '0x55d398326f99059fF775485246999027B3197955', decimals: 18 },
  sol: { kind: 'solana-pay' },
  usdtsol: { kind: 'solana-pay', splToken: 'Es9vMFrzaCERmJfrF4H2FYD4KCoNkY11McCe8BenwNYB' },
  usdcsol: { kind: 'solana-pay', splToken: 'EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v' },
  // TRON (TRX, USDT TRC-20): no URI standard wallets agree on (TronLink, Trust and others each
  // read their own, or none), so the bare address; the amount is typed by hand.
};

/** A plain decimal: no exponent, no trailing zeros ("0.00046154", never "4.6154e-4"). */
function wholeUnits(amount: string): string {
  return new Big(amount).toFixed();
}

/** The amount in the coin's smallest unit, as an integer string (wei for ETH). Rounded up: never send short. */
function baseUnits(amount: string, decimals: number): string {
  return new Big(amount).times(new Big(10).pow(decimals)).round(0, Big.roundUp).toFixed(0);
}

/** True when the link carries the amount (false: only the address, and the buyer types the amount). */
export function walletUriPrefills(currency: string): boolean {
  return uris[currency.toLowerCase()] !== undefined;
}

/**
 * The link for paying `amount` (a decimal string) of `currency` to `address`. A coin that needs a
 * memo or tag (`extraId`) gets the bare address: no standard carries the memo, and a wallet that
 * opened the link without it would lose the money.
 */
export function walletUri(currency: string, address: string, amount: string | number, extraId?: string | null): string {
  const uri = uris[currency.toLowerCase()];
  if (!uri || extraId) return address;
  const text = String(amount);
  switch (uri.kind) {
    case 'bip21':
      return `${uri.scheme}:${address}?amount=${wholeUnits(text)}`;
    case 'eip681-native':
      return `ethereum:${address}${uri.chainId === 1 ? '' : `@${uri.chainId}`}?value=${baseUnits(text, 18)}`;
    case 'eip681-token':
      return `ethereum:${uri.token}@${uri.chainId}/transfer?address=${address}&uint256=${baseUnits(text, uri.decimals)}`;
    case 'solana-pay':
      return `solana:${address}?amount=${wholeUnits(text)}${uri.splToken ? `&spl-token=${uri.splToken}` : ''}`;
  }
}

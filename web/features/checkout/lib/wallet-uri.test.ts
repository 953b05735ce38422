import { describe, expect, it } from 'vitest';
import { walletUri, walletUriPrefills } from './wallet-uri';

describe('wallet links that prefill the amount', () => {
  it('BIP-21 for Bitcoin and Litecoin, the amount in whole coins without an exponent', () => {
    expect(walletUri('btc', 'bc1qxyz', '0.00046154')).toBe('bitcoin:bc1qxyz?amount=0.00046154');
    expect(walletUri('BTC', 'bc1qxyz', 0.0000001)).toBe('bitcoin:bc1qxyz?amount=0.0000001');
    expect(walletUri('ltc', 'ltc1qabc', '0.375000')).toBe('litecoin:ltc1qabc?amount=0.375');
  });

  it('EIP-681 for ETH: value in wei, exact for 18 decimals', () => {
    expect(walletUri('eth', '0xAbC', '0.009375')).toBe('ethereum:0xAbC?value=9375000000000000');
    expect(walletUri('eth', '0xAbC', '1.000000000000000001')).toBe('ethereum:0xAbC?value=1000000000000000001');
  });

  it('EIP-681 token transfers for ERC-20 (and BSC) USDT: the token contract, the chain and base units', () => {
    expect(walletUri('usdterc20', '0xBuyer', '30.5')).toBe('ethereum:0xdAC17F958D2ee523a2206206994597C13D831ec7@1/transfer?address=0xBuyer&uint256=30500000');
    expect(walletUri('usdtbsc', '0xBuyer', '1')).toBe(
      'ethereum:0x55d398326f99059fF775485246999027B3197955@56/transfer?address=0xBuyer&uint256=1000000000000000000',
    );
    // A fraction below the token's unit is rounded up: the buyer never sends short.
    expect(walletUri('usdterc20', '0xBuyer', '0.0000001')).toMatch(/uint256=1$/);
  });

  it('Solana Pay for SOL and SPL tokens', () => {
    expect(walletUri('sol', 'So1Addr', '0.2')).toBe('solana:So1Addr?amount=0.2');
    expect(walletUri('usdcsol', 'So1Addr', '30')).toBe('solana:So1Addr?amount=30&spl-token=EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v');
  });

  it('the bare address where no standard exists (TRC-20) or a memo is needed', () => {
    expect(walletUri('usdttrc20', 'TXyz', '30')).toBe('TXyz');
    expect(walletUriPrefills('usdttrc20')).toBe(false);
    expect(walletUriPrefills('btc')).toBe(true);
    expect(walletUri('btc', 'bc1qxyz', '0.1', '12345')).toBe('bc1qxyz');
  });
});

/** The coins HQAdz offers (SPEC §2); a provider may support fewer. */
export const offeredCurrencies = ['btc', 'eth', 'sol', 'ltc', 'usdttrc20'] as const;

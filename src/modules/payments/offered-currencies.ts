/** The coins HQAdz offers (SPEC §2); a provider may support fewer. */
export const offeredCurrencies = ['btc', 'eth', 'sol', 'ltc', 'usdttrc20'] as const;

/**
 * Coins that need a memo / destination tag beside the address (NOWPayments' `payin_extra_id`),
 * offered only where the merchant enabled them at NOWPayments (`/merchant/coins`): the pay step
 * shows the memo with its own copy button. The sandbox does not offer them.
 */
export const memoCurrencies = ['xrp', 'xlm'] as const;

// The small interface every payment provider implements. Amounts in coin are decimal
// strings; statuses are already mapped to our enum by the provider.
import type { AppContext } from '../../context.js';
import type { ProviderStatus } from './payment-status.js';

export type CreateProviderPaymentInput = {
  priceAmountUsd: number;
  payCurrency: string;
  orderId: string;
  orderDescription: string;
  ipnCallbackUrl: string;
};

export type CreatedProviderPayment = {
  providerPaymentId: string;
  payAddress: string;
  payAmount: string;
  payCurrency: string;
  status: ProviderStatus;
  expiresAt: Date;
};

export type ProviderPayment = {
  providerPaymentId: string;
  /** null when the provider reported a status we do not know. */
  status: ProviderStatus | null;
  rawStatus: string;
  actuallyPaid: string | null;
  payAmount: string | null;
  payCurrency: string | null;
  priceAmount: number | null;
  priceCurrency: string | null;
  orderId: string | null;
};

export interface PaymentProvider {
  readonly name: 'nowpayments' | 'sandbox';
  createPayment(input: CreateProviderPaymentInput): Promise<CreatedProviderPayment>;
  getPayment(providerPaymentId: string): Promise<ProviderPayment>;
  listCurrencies(): Promise<string[]>;
  getMinAmount(currency: string): Promise<number | null>;
}

/** The coins HQAdz offers (SPEC §2); a provider may support fewer. */
export const offeredCurrencies = ['btc', 'eth', 'sol', 'ltc', 'usdttrc20'] as const;

/** Invoices we create live this long unless the provider says otherwise. */
export const PAYMENT_TTL_MS = 60 * 60 * 1000;

const providers = new WeakMap<AppContext, PaymentProvider>();

/** One provider per context, chosen by configuration: no API key means test mode and the sandbox. */
export async function getPaymentProvider(ctx: AppContext): Promise<PaymentProvider> {
  let p = providers.get(ctx);
  if (!p) {
    if (ctx.config.testMode) {
      const { SandboxProvider } = await import('./sandbox/sandbox-provider.js');
      p = new SandboxProvider(ctx);
    } else {
      const { NowPaymentsProvider } = await import('./nowpayments/nowpayments-provider.js');
      p = new NowPaymentsProvider(ctx);
    }
    providers.set(ctx, p);
  }
  return p;
}

/** Coins a buyer can choose: ours, intersected with what the provider currently accepts. */
export async function listPayCurrencies(ctx: AppContext): Promise<string[]> {
  const provider = await getPaymentProvider(ctx);
  try {
    const supported = new Set((await provider.listCurrencies()).map((c) => c.toLowerCase()));
    return offeredCurrencies.filter((c) => supported.has(c));
  } catch (err) {
    // The list is a courtesy: if the provider is down, creating the payment reports it clearly.
    ctx.log.warn({ err }, 'could not list provider currencies; offering the default coins');
    return [...offeredCurrencies];
  }
}

// The port every payment provider implements (NOWPayments in integrations/, the sandbox in the
// payments module). Amounts in coin are decimal strings; statuses are already mapped to our enum
// by the provider. Pure types and mapping: no database, no domain module.

/** What a provider may report (the payments table's status list without our own `creating`). */
export const providerStatuses = ['waiting', 'confirming', 'confirmed', 'sending', 'partially_paid', 'finished', 'failed', 'refunded', 'expired'] as const;
export type ProviderStatus = (typeof providerStatuses)[number];

/** Provider wording → our enum; anything unknown (NOWPayments may add statuses) is null and ignored. */
export function mapProviderStatus(raw: unknown): ProviderStatus | null {
  if (typeof raw !== 'string') return null;
  const s = raw.trim().toLowerCase();
  return (providerStatuses as readonly string[]).includes(s) ? (s as ProviderStatus) : null;
}

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
  /** When the provider stops watching the address (NOWPayments' `valid_until`, 7 days). */
  expiresAt: Date;
  /** When the quoted pay_amount lapses and must be renewed (`expiration_estimate_date`); null if it never does. */
  estimateExpiresAt?: Date | null;
  /** The chain the coin travels on (`network`, e.g. `trx` for usdttrc20), shown beside the address. */
  network?: string | null;
  /** The memo / destination tag a memo coin needs beside the address (`payin_extra_id`). */
  payinExtraId?: string | null;
};

/** A renewed rate estimate for a waiting payment. */
export type RenewedEstimate = { payAmount: string; estimateExpiresAt: Date | null };

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
  /** Set on a re-deposit: the payment it tops up (NOWPayments' `parent_payment_id`). */
  parentPaymentId: string | null;
  /** On a parent: its re-deposits' payment ids (`payment_extra_ids`). */
  extraPaymentIds: string[];
};

export interface PaymentProvider {
  readonly name: 'nowpayments' | 'sandbox';
  createPayment(input: CreateProviderPaymentInput): Promise<CreatedProviderPayment>;
  getPayment(providerPaymentId: string): Promise<ProviderPayment>;
  /** Coins the buyer may pay in: for NOWPayments those the merchant enabled. */
  listCurrencies(): Promise<string[]>;
  /** Renews a waiting payment's lapsed rate estimate (providers whose quotes lapse implement it). */
  updateEstimate?(providerPaymentId: string): Promise<RenewedEstimate>;
  /** The smallest payment the provider accepts in `currency`, in USD; null when it names none. */
  getMinimumUsd(currency: string): Promise<number | null>;
  /** Whether the provider's API answers (NOWPayments `GET /status`). */
  checkStatus(): Promise<boolean>;
}

/** Invoices we create live this long unless the provider says otherwise; also the stock reservation. */
export const PAYMENT_TTL_MS = 60 * 60 * 1000;

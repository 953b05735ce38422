// Test mode (no NOWPAYMENTS_API_KEY): realistic-looking invoices that cost nothing. The
// payments table is the sandbox's memory, so a restart keeps every invoice; "payments"
// happen through POST /api/payment/simulate, which drives the real signed IPN path.
import { randomBytes, randomInt } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { orders, payments } from '../../../db/schema.js';
import {
  type CreatedProviderPayment,
  type CreateProviderPaymentInput,
  PAYMENT_TTL_MS,
  type PaymentProvider,
  type ProviderPayment,
} from '../../../integrations/payment-provider.js';
import { AppError } from '../../../lib/errors.js';
import type { AppContext } from '../../../platform/app-context.js';
import { offeredCurrencies } from '../offered-currencies.js';

/** Demo rates (USD per coin) and the decimals each coin is quoted with. */
const demoRates: Record<string, { usd: number; decimals: number }> = {
  btc: { usd: 65_000, decimals: 8 },
  eth: { usd: 3_200, decimals: 8 },
  sol: { usd: 150, decimals: 6 },
  ltc: { usd: 80, decimals: 8 },
  usdttrc20: { usd: 1, decimals: 6 },
};

const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
const BECH32 = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';

function pick(alphabet: string, n: number): string {
  let out = '';
  for (let i = 0; i < n; i++) out += alphabet[randomInt(alphabet.length)];
  return out;
}

export function sandboxAddress(coin: string): string {
  switch (coin) {
    case 'btc':
      return `bc1q${pick(BECH32, 38)}`;
    case 'ltc':
      return `ltc1q${pick(BECH32, 38)}`;
    case 'eth':
      return `0x${randomBytes(20).toString('hex')}`;
    case 'sol':
      return pick(BASE58, 44);
    case 'usdttrc20':
      return `T${pick(BASE58, 33)}`;
    default:
      return `sandbox-${coin}-${randomBytes(12).toString('hex')}`;
  }
}

export function sandboxAmount(priceUsd: number, coin: string): string {
  const rate = demoRates[coin] ?? { usd: 1, decimals: 6 };
  return (priceUsd / rate.usd).toFixed(rate.decimals).replace(/0+$/, '').replace(/\.$/, '');
}

/** Numeric like NOWPayments' ids, so the same code paths (and the web page) see the same shape. */
export function sandboxPaymentId(): string {
  return `${Date.now()}${randomInt(1000, 9999)}`;
}

export class SandboxProvider implements PaymentProvider {
  readonly name = 'sandbox' as const;
  constructor(private readonly ctx: AppContext) {}

  async createPayment(input: CreateProviderPaymentInput): Promise<CreatedProviderPayment> {
    if (!demoRates[input.payCurrency]) throw new AppError('provider_error', `The sandbox does not quote ${input.payCurrency}`);
    return {
      providerPaymentId: sandboxPaymentId(),
      payAddress: sandboxAddress(input.payCurrency),
      payAmount: sandboxAmount(input.priceAmountUsd, input.payCurrency),
      payCurrency: input.payCurrency,
      status: 'waiting',
      expiresAt: new Date(Date.now() + PAYMENT_TTL_MS),
    };
  }

  async getPayment(providerPaymentId: string): Promise<ProviderPayment> {
    const [row] = await this.ctx.db
      .select({ payment: payments, orderId: orders.id })
      .from(payments)
      .innerJoin(orders, eq(orders.id, payments.orderId))
      .where(eq(payments.providerPaymentId, providerPaymentId));
    if (!row) throw new AppError('not_found', 'No such sandbox payment');
    const p = row.payment;
    const lapsed = p.status === 'waiting' && p.expiresAt !== null && p.expiresAt.getTime() < Date.now();
    const status = p.status === 'creating' ? 'waiting' : lapsed ? 'expired' : p.status;
    // Like NOWPayments' `payment_extra_ids`: the re-deposits made to this invoice's address.
    const children = await this.ctx.db.select({ id: payments.providerPaymentId }).from(payments).where(eq(payments.parentProviderPaymentId, providerPaymentId));
    return {
      providerPaymentId,
      status,
      rawStatus: status,
      actuallyPaid: p.actuallyPaid,
      payAmount: p.payAmount,
      payCurrency: p.payCurrency,
      priceAmount: p.priceCents / 100,
      priceCurrency: 'usd',
      orderId: row.orderId,
      parentPaymentId: p.parentProviderPaymentId,
      extraPaymentIds: children.flatMap((c) => (c.id ? [c.id] : [])),
    };
  }

  async listCurrencies(): Promise<string[]> {
    return [...offeredCurrencies];
  }

  /** The sandbox takes any amount: admins may price a test plan at $1. */
  async getMinimumUsd(): Promise<number | null> {
    return null;
  }

  async checkStatus(): Promise<boolean> {
    return true;
  }
}

// Which payment provider serves a context, and the cached questions checkout asks it. The port
// itself (PaymentProvider and its types) is src/integrations/payment-provider.ts.
import type { PaymentProvider } from '../../integrations/payment-provider.js';
import type { AppContext } from '../../platform/app-context.js';
import { memoCurrencies, offeredCurrencies } from './offered-currencies.js';

const providers = new WeakMap<AppContext, Promise<PaymentProvider>>();

/**
 * One provider per context, chosen by configuration: no API key means test mode and the
 * sandbox. The promise is what is kept: requests arriving during the first import share one
 * provider (and so its caches), instead of each building its own.
 */
export function getPaymentProvider(ctx: AppContext): Promise<PaymentProvider> {
  let p = providers.get(ctx);
  if (!p) {
    p = makeProvider(ctx);
    providers.set(ctx, p);
  }
  return p;
}

async function makeProvider(ctx: AppContext): Promise<PaymentProvider> {
  if (ctx.config.testMode) {
    const { SandboxProvider } = await import('./sandbox/sandbox-provider.js');
    return new SandboxProvider(ctx);
  }
  const { NowPaymentsProvider } = await import('../../integrations/nowpayments/nowpayments-provider.js');
  return new NowPaymentsProvider(ctx);
}

/** Coins a buyer can choose: ours (and the memo coins), intersected with what the provider currently accepts. */
export async function listPayCurrencies(ctx: AppContext): Promise<string[]> {
  const provider = await getPaymentProvider(ctx);
  try {
    const supported = new Set((await provider.listCurrencies()).map((c) => c.toLowerCase()));
    return [...offeredCurrencies, ...memoCurrencies].filter((c) => supported.has(c));
  } catch (err) {
    // The list is a courtesy: if the provider is down, creating the payment reports it clearly.
    ctx.log.warn({ err }, 'could not list provider currencies; offering the default coins');
    return [...offeredCurrencies];
  }
}

const MINIMUM_CACHE_MS = 10 * 60 * 1000;
/** A failed lookup is remembered briefly, so a hanging provider does not slow every checkout. */
const MINIMUM_FAILURE_CACHE_MS = 60 * 1000;
const minimumCache = new WeakMap<AppContext, Map<string, { at: number; usd: number | null; failed: boolean }>>();

function minimumCacheOf(ctx: AppContext): Map<string, { at: number; usd: number | null; failed: boolean }> {
  let cache = minimumCache.get(ctx);
  if (!cache) {
    cache = new Map();
    minimumCache.set(ctx, cache);
  }
  return cache;
}

/**
 * The provider's minimum for a coin, in USD, cached for ten minutes. A courtesy check before an
 * invoice is made: when the provider cannot say, the invoice request itself is the judge.
 */
export async function minimumPaymentUsd(ctx: AppContext, currency: string): Promise<number | null> {
  const cache = minimumCacheOf(ctx);
  const hit = cache.get(currency);
  if (hit && Date.now() - hit.at < (hit.failed ? MINIMUM_FAILURE_CACHE_MS : MINIMUM_CACHE_MS)) return hit.usd;
  // One lookup at a time per coin: when the entry lapses under load, every checkout arriving
  // meanwhile waits for the same answer instead of each asking the provider (a p99 spike).
  const inflight = minimumInflightOf(ctx);
  let asking = inflight.get(currency);
  if (!asking) {
    asking = lookUpMinimum(ctx, currency).finally(() => inflight.delete(currency));
    inflight.set(currency, asking);
  }
  return asking;
}

const minimumInflight = new WeakMap<AppContext, Map<string, Promise<number | null>>>();

function minimumInflightOf(ctx: AppContext): Map<string, Promise<number | null>> {
  let m = minimumInflight.get(ctx);
  if (!m) {
    m = new Map();
    minimumInflight.set(ctx, m);
  }
  return m;
}

async function lookUpMinimum(ctx: AppContext, currency: string): Promise<number | null> {
  const cache = minimumCacheOf(ctx);
  try {
    const usd = await (await getPaymentProvider(ctx)).getMinimumUsd(currency);
    cache.set(currency, { at: Date.now(), usd, failed: false });
    return usd;
  } catch (err) {
    ctx.log.warn({ err, currency }, 'could not read the provider minimum; the invoice request will decide');
    cache.set(currency, { at: Date.now(), usd: null, failed: true });
    return null;
  }
}

/** The provider refused an invoice as too small: the cached minimum is out of date. */
export function forgetMinimumPayment(ctx: AppContext, currency: string): void {
  minimumCacheOf(ctx).delete(currency);
}

/** Whole cents at or above `usd`, without float noise (1.1 USD is 110 cents, not 111). */
export function usdToCentsCeil(usd: number): number {
  return Math.ceil(Math.round(usd * 1e6) / 1e4);
}

export type ProviderHealth = { name: PaymentProvider['name']; testMode: boolean; reachable: boolean; checkedAt: string };

const STATUS_CACHE_MS = 60 * 1000;
const statusCache = new WeakMap<AppContext, ProviderHealth>();

/** Whether the payment provider answers, checked at most once a minute per process. */
export async function paymentProviderHealth(ctx: AppContext): Promise<ProviderHealth> {
  const hit = statusCache.get(ctx);
  if (hit && Date.now() - Date.parse(hit.checkedAt) < STATUS_CACHE_MS) return hit;
  const provider = await getPaymentProvider(ctx);
  let reachable = false;
  try {
    reachable = await provider.checkStatus();
  } catch (err) {
    ctx.log.warn({ err }, 'payment provider status check failed');
  }
  const health = { name: provider.name, testMode: ctx.config.testMode, reachable, checkedAt: new Date().toISOString() };
  statusCache.set(ctx, health);
  return health;
}

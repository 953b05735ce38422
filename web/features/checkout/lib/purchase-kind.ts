import { exactTime, intervalInWords } from '../../../lib/format';
import type { Product } from '../../pricing/api/get-products';

export type PurchaseKind = 'renewal' | 'upgrade' | 'change';
type CurrentPlan = { planSlug: string | null | undefined; planPriceUsd?: number | null; expiresAt: string | null };

const DAY = 86_400_000;

/** What a signed-in customer's purchase does to the plan they have, or null for a first plan. */
export function purchaseKind(target: Product, current: CurrentPlan, products: Product[]): PurchaseKind | null {
  if (!current.planSlug) return null;
  if (current.planSlug === target.slug) return 'renewal';
  const price = current.planPriceUsd ?? products.find((p) => p.slug === current.planSlug)?.priceUsd;
  return price != null && target.priceUsd > price ? 'upgrade' : 'change';
}

/** A renewal extends from the current end, or from now once the plan has lapsed. */
export function renewedUntil(expiresAt: string | null, days: number, now = Date.now()): Date {
  const from = Math.max(now, expiresAt ? new Date(expiresAt).getTime() : 0);
  return new Date(from + days * DAY);
}

export function purchaseLine(kind: PurchaseKind, target: Product, current: CurrentPlan, now = Date.now()): string {
  if (kind === 'renewal') {
    return `Renewal: adds ${target.validityDays} days → until ${exactTime(renewedUntil(current.expiresAt, target.validityDays, now))}`;
  }
  const what = `${target.senders} ${target.senders === 1 ? 'bot' : 'bots'}, posts ${intervalInWords(target.postingIntervalSeconds)}, +${target.validityDays} days`;
  return `${kind === 'upgrade' ? 'Upgrade' : 'Switch'} to ${target.name}: ${what}`;
}

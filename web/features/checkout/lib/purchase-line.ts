// How the checkout page words a signed-in customer's purchase. What the purchase IS (new,
// renewal, upgrade) is the server's one rule, src/shared/purchase-kind.ts; this only says it.
import { type PlanHeld, purchaseKind } from '../../../../src/shared/purchase-kind';
import { exactTime, intervalInWords } from '../../../lib/format';
import type { Product } from '../../pricing/api/get-products';

/** What the customer reads: a renewal, an upgrade (a dearer plan) or a switch (any other plan). */
export type PurchaseLabel = 'renewal' | 'upgrade' | 'change';

/** The account's plan as the status route reports it. */
export type HeldPlan = {
  plan: { id: string; slug: string; priceUsd?: number | undefined } | null;
  expiresAt: string | null;
  sendersReleased: boolean;
};

const DAY = 86_400_000;

/** The purchase's label, or null when checkout calls it new (a first plan, or one whose senders went back to stock). */
export function purchaseLabel(target: Product, held: HeldPlan, products: Product[]): PurchaseLabel | null {
  const plan: PlanHeld = held.plan ? { planId: held.plan.id, sendersReleased: held.sendersReleased } : null;
  const kind = purchaseKind(plan, target.id);
  if (kind === 'new') return null;
  if (kind === 'renewal') return 'renewal';
  const price = held.plan?.priceUsd ?? products.find((p) => p.slug === held.plan?.slug)?.priceUsd;
  return price != null && target.priceUsd > price ? 'upgrade' : 'change';
}

/** A renewal extends from the current end, or from now once the plan has lapsed. */
export function renewedUntil(expiresAt: string | null, days: number, now = Date.now()): Date {
  const from = Math.max(now, expiresAt ? new Date(expiresAt).getTime() : 0);
  return new Date(from + days * DAY);
}

export function purchaseLine(label: PurchaseLabel, target: Product, held: HeldPlan, now = Date.now()): string {
  if (label === 'renewal') {
    return `Renewal: adds ${target.validityDays} days → until ${exactTime(renewedUntil(held.expiresAt, target.validityDays, now))}`;
  }
  const what = `${target.senders} ${target.senders === 1 ? 'bot' : 'bots'}, posts ${intervalInWords(target.postingIntervalSeconds)}, +${target.validityDays} days`;
  return `${label === 'upgrade' ? 'Upgrade' : 'Switch'} to ${target.name}: ${what}`;
}

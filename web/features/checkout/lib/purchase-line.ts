// How the checkout page words a signed-in customer's purchase. What the purchase IS (new,
// renewal, upgrade) is the server's one rule, src/shared/purchase-kind.ts; this only says it.
import { type PlanHeld, purchaseKind } from '../../../../src/shared/purchase-kind';
import { exactTime, intervalInWords } from '../../../lib/format';
import { planChangeOption, type RunningPlan } from '../../dashboard/components/plan-change-effect';
import type { Product } from '../../pricing/api/get-products';

/**
 * What the customer reads: a renewal, an upgrade (a dearer plan), a switch (any other plan), or a
 * credit (a cheaper plan paid while the running one is in force: days added to it, src/shared/plan-change.ts).
 */
export type PurchaseLabel = 'renewal' | 'upgrade' | 'change' | 'credit';

/** The account's plan as the status route reports it. */
export type HeldPlan = {
  plan: { id: string; slug: string; name?: string | undefined; priceUsd?: number | undefined; senders?: number | undefined } | null;
  botStatus?: RunningPlan['status'] | null | undefined;
  expiresAt: string | null;
  sendersReleased: boolean;
};

/** The running plan as the plan-change rule needs it, when the status route said enough. */
function runningPlanOf(held: HeldPlan, price: number | undefined): RunningPlan | null {
  if (!held.plan || held.plan.senders == null || price == null || !held.expiresAt) return null;
  return {
    plan: { id: held.plan.id, name: held.plan.name ?? held.plan.slug, priceCents: Math.round(price * 100) },
    senderCount: held.plan.senders,
    status: held.botStatus ?? 'running',
    expiresAt: new Date(held.expiresAt),
    sendersReleased: held.sendersReleased,
  };
}

const heldPrice = (held: HeldPlan, products: Product[]) => held.plan?.priceUsd ?? products.find((p) => p.slug === held.plan?.slug)?.priceUsd;

const DAY = 86_400_000;

/** The purchase's label, or null when checkout calls it new (a first plan, or one whose senders went back to stock). */
export function purchaseLabel(target: Product, held: HeldPlan, products: Product[], now = Date.now()): PurchaseLabel | null {
  const plan: PlanHeld = held.plan ? { planId: held.plan.id, sendersReleased: held.sendersReleased } : null;
  const kind = purchaseKind(plan, target.id);
  if (kind === 'new') return null;
  if (kind === 'renewal') return 'renewal';
  const price = heldPrice(held, products);
  const running = runningPlanOf(held, price);
  if (running && planChangeOption(target, running, new Date(now)).outcome === 'credit') return 'credit';
  return price != null && target.priceUsd > price ? 'upgrade' : 'change';
}

/** A renewal extends from the current end, or from now once the plan has lapsed. */
export function renewedUntil(expiresAt: string | null, days: number, now = Date.now()): Date {
  const from = Math.max(now, expiresAt ? new Date(expiresAt).getTime() : 0);
  return new Date(from + days * DAY);
}

export function purchaseLine(label: PurchaseLabel, target: Product, held: HeldPlan, now = Date.now(), products: Product[] = []): string {
  const running = label === 'credit' ? runningPlanOf(held, heldPrice(held, products)) : null;
  // The dashboard's plan menu words it: the same sentence before and after the click.
  if (running) return planChangeOption(target, running, new Date(now)).effect;
  if (label === 'renewal') {
    return `Renewal: adds ${target.validityDays} days → until ${exactTime(renewedUntil(held.expiresAt, target.validityDays, now))}`;
  }
  const what = `${target.senders} ${target.senders === 1 ? 'bot' : 'bots'}, posts ${intervalInWords(target.postingIntervalSeconds)}, +${target.validityDays} days`;
  return `${label === 'upgrade' ? 'Upgrade' : 'Switch'} to ${target.name}: ${what}`;
}

// What a paid order does to the plan the account runs, decided at fulfilment from the adbot as it
// is then; the dashboard's plan menu shows the same answer before the customer pays (shared, so
// the two cannot drift). Checkout's stored kind can be stale: two orders checked out while nothing was active
// (Diamond and Bronze for one email) are both 'new', and whichever is paid second meets the
// other one running. The rule: a paid order never lowers a running plan.
//   - nothing running (no adbot, or one whose expiry has passed): the order's plan, as bought;
//   - the running plan again: a renewal (more days);
//   - a higher plan (more senders; the same senders at a higher price): an upgrade;
//   - a lower plan (fewer senders; the same senders at a lower price): the running plan is kept
//     and the order's value is credited to it as days at the running plan's price.
import { type PlanHeld, type PurchaseKind, purchaseKind } from './purchase-kind.js';

/** What fulfilment does: a purchase kind, or `credit` (days added to the running plan instead). */
export type FulfilmentOutcome = PurchaseKind | 'credit';

/** The plan an order pays for, as snapshotted on it at checkout. */
export type PaidPlan = { planId: string; senders: number; priceCents: number; validityDays: number };

/** The customer's adbot, with the catalog price of the plan it runs. */
export type HeldAdbot = {
  planId: string;
  senderCount: number;
  /** The running plan's price in the catalog now: what a day of it costs. */
  planPriceCents: number;
  status: 'running' | 'stopped' | 'expired' | 'suspended';
  expiresAt: Date;
  sendersReleased: boolean;
};

export type PlanChange = { outcome: Exclude<FulfilmentOutcome, 'credit'> } | { outcome: 'credit'; days: number };

/**
 * A plan still in force: stopped or suspended counts (the customer paid for it), expired does
 * not — neither the status the expiry job sets nor an expiry that has passed before it ran.
 */
export function isRunning(adbot: HeldAdbot, now: Date): boolean {
  return !adbot.sendersReleased && adbot.status !== 'expired' && adbot.expiresAt.getTime() > now.getTime();
}

/** Fewer senders is lower; at the same senders a lower price is (a slower interval, as sold). */
export function isLowerPlan(paid: Pick<PaidPlan, 'senders' | 'priceCents'>, running: Pick<HeldAdbot, 'senderCount' | 'planPriceCents'>): boolean {
  if (paid.senders !== running.senderCount) return paid.senders < running.senderCount;
  return paid.priceCents < running.planPriceCents;
}

/**
 * The order's days, valued at the running plan's price: round(validityDays × paid price ÷
 * running price), at least one day (every paid order gives something). A running plan priced 0
 * (an admin's free plan) has no day price: the order's own validity is credited.
 */
export function creditedDays(paid: Pick<PaidPlan, 'validityDays' | 'priceCents'>, runningPriceCents: number): number {
  if (runningPriceCents <= 0) return Math.max(1, paid.validityDays);
  return Math.max(1, Math.round((paid.validityDays * paid.priceCents) / runningPriceCents));
}

/**
 * Checkout's refusal (409): while a plan is in force (its expiry ahead, senders still held), a plan
 * with fewer senders cannot be bought, because anyone who knows the email can pay for it.
 */
export function refusesFewerSenders(
  paid: Pick<PaidPlan, 'senders'>,
  held: Pick<HeldAdbot, 'senderCount' | 'expiresAt' | 'sendersReleased'> | null | undefined,
  now: Date,
): boolean {
  return !!held && !held.sendersReleased && held.expiresAt.getTime() > now.getTime() && paid.senders < held.senderCount;
}

/** What paying for a plan would do now: refused at checkout, or what fulfilment then does. */
export type PlanChangePreview = PlanChange | { outcome: 'refused'; reason: 'fewer_senders' };

export function previewPlanChange(paid: PaidPlan, adbot: HeldAdbot | undefined, now: Date): PlanChangePreview {
  if (refusesFewerSenders(paid, adbot, now)) return { outcome: 'refused', reason: 'fewer_senders' };
  return decidePlanChange(paid, adbot, now);
}

export function decidePlanChange(paid: PaidPlan, adbot: HeldAdbot | undefined, now: Date): PlanChange {
  const held: PlanHeld = adbot ? { planId: adbot.planId, sendersReleased: adbot.sendersReleased } : null;
  const kind = purchaseKind(held, paid.planId);
  if (kind === 'upgrade' && adbot && isRunning(adbot, now) && isLowerPlan(paid, adbot)) {
    return { outcome: 'credit', days: creditedDays(paid, adbot.planPriceCents) };
  }
  return { outcome: kind };
}

// What a purchase does to the plan the account has: the one rule. Checkout decides it once and
// stores it on the order (orders.kind); fulfilment, its messages and the admin read what was
// stored, and the checkout page shows the same answer before the customer pays.

export const purchaseKinds = ['new', 'renewal', 'upgrade'] as const;
export type PurchaseKind = (typeof purchaseKinds)[number];

/** The account's adbot as far as the rule needs it; null when it never had one. */
export type PlanHeld = {
  planId: string;
  /** After the grace period the senders went back to stock: a purchase starts from scratch. */
  sendersReleased: boolean;
} | null;

/**
 * `new`: no plan, or one whose senders are gone (fresh senders from stock); `renewal`: the same
 * plan again (more days); `upgrade`: another plan (its senders and interval replace the current ones).
 */
export function purchaseKind(held: PlanHeld, targetPlanId: string): PurchaseKind {
  if (!held || held.sendersReleased) return 'new';
  return held.planId === targetPlanId ? 'renewal' : 'upgrade';
}

/** How many senders checkout reserves from stock for the purchase: only those the plan adds. */
export function sendersToReserve(kind: PurchaseKind, targetSenders: number, held: { senderCount: number } | null): number {
  if (kind === 'new' || !held) return targetSenders;
  if (kind === 'renewal') return 0;
  return Math.max(0, targetSenders - held.senderCount);
}

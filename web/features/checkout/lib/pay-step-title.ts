// The pay step's tab title, kept out of checkout-title.tsx: that one is in the pricing page's
// first script, and importing it from the lazy checkout chunk split the first script in two.
type PayState = { status: string; orderStatus?: string | null; planName?: string | null; orderNumber?: number | null };

/** The pay step's own tab title for each state that has its own screen; undefined while paying. */
export function payStepTitle(s: PayState | undefined): string | undefined {
  if (!s) return undefined;
  const plan = s.planName ? ` — ${s.planName}` : '';
  const is = (x: string) => s.status === x || s.orderStatus === x;
  if (s.orderStatus === 'fulfilled') return `Paid${plan}`;
  if (s.orderStatus === 'cancelled') return `Order cancelled${plan}`;
  if (is('expired')) return `Payment expired${plan}`;
  if (is('refunded')) return `Payment refunded${plan}`;
  if (is('failed')) return `Payment failed${plan}`;
  if (is('paid')) return `Paid — setting up${plan}`;
  if (is('partially_paid')) return `Underpaid${plan}`;
  return `Pay${plan}`;
}

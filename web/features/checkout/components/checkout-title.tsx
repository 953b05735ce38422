import { useSearchParams } from 'react-router';
import { usePageTitle } from '../../../lib/use-page-title';
import { useProducts } from '../../pricing/api/get-products';

/** The checkout tab names the plan being bought: "Checkout — Silver · HQAdz". */
export function CheckoutTitle() {
  const [params] = useSearchParams();
  const slug = params.get('plan') ?? '';
  const plan = useProducts().data?.find((p) => p.slug === slug);
  usePageTitle(plan ? `Checkout — ${plan.name}` : 'Checkout');
  return null;
}

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

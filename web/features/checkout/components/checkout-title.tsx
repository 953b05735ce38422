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

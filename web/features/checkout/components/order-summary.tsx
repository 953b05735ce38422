import { useSearchParams } from 'react-router';
import { formatUsd, intervalInWords } from '../../../lib/format';
import type { Product } from '../../pricing/api/get-products';
import { useReferral } from '../api/get-referral';

/** "Referred by partner-jo" when the order will be credited to an active reseller. */
function ReferredBy() {
  const [params] = useSearchParams();
  const referral = useReferral(params.get('ref'));
  if (!referral.data) return null;
  return (
    <p className="summary-referral muted small" data-testid="referred-by">
      Referred by <strong>{referral.data.code}</strong>
    </p>
  );
}

export function OrderSummary({ plan, orderNumber }: { plan: Product | undefined; orderNumber?: string | number | null }) {
  if (!plan) {
    return <section className="card summary skeleton summary-skeleton" aria-busy="true" aria-label="Loading your order" />;
  }
  return (
    <section className="card summary" aria-labelledby="summary-heading" data-testid="order-summary">
      <div className="summary-top">
        <div>
          <p className="eyebrow">Your order{orderNumber ? ` · #${orderNumber}` : ''}</p>
          <h1 id="summary-heading" className="summary-plan">
            {plan.name} plan
          </h1>
        </div>
        <p className="summary-price" data-testid="summary-price">
          {formatUsd(plan.priceUsd)}
        </p>
      </div>
      <ReferredBy />
      <ul className="summary-facts">
        <li>
          {plan.senders} {plan.senders === 1 ? 'account' : 'accounts'}
        </li>
        <li>Posts {intervalInWords(plan.postingIntervalSeconds)}</li>
        <li>{plan.validityDays} days</li>
      </ul>
    </section>
  );
}

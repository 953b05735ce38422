import { Link } from 'react-router';
import { formatUsd } from '../../../lib/format';
import type { Product } from '../api/get-products';
import { planFeatures } from '../lib/plan-features';

export function PlanCard({ plan, refCode, featured, current }: { plan: Product; refCode: string | null; featured?: boolean; current?: boolean }) {
  const href = `/checkout?plan=${encodeURIComponent(plan.slug)}${refCode ? `&ref=${encodeURIComponent(refCode)}` : ''}`;
  return (
    <article
      className={`plan-card${plan.available ? '' : ' plan-sold-out'}${featured ? ' plan-featured' : ''}${current ? ' plan-current' : ''}`}
      data-testid={`plan-${plan.slug}`}
      aria-label={`${plan.name} plan${current ? ' (your plan)' : ''}`}
    >
      {current ? (
        <span className="plan-badge plan-badge-current" data-testid="your-plan">
          Your plan
        </span>
      ) : (
        featured && plan.available && <span className="plan-badge">Most popular</span>
      )}
      <h3 className="plan-name">{plan.name}</h3>
      <p className="plan-price">
        <span className="plan-amount" data-testid="plan-price">
          {formatUsd(plan.priceUsd)}
        </span>
        <span className="plan-period"> / {plan.validityDays} days</span>
      </p>
      <ul className="plan-features">
        {planFeatures(plan).map((f) => (
          <li key={f.text} data-testid={f.testId}>
            {f.text}
          </li>
        ))}
      </ul>
      {plan.available ? (
        <Link className={`btn ${featured ? 'btn-primary' : 'btn-secondary'} btn-block`} to={href}>
          {current ? 'Renew' : 'Get started'}
        </Link>
      ) : (
        <p className="sold-out" role="note">
          Sold out — check back soon
        </p>
      )}
    </article>
  );
}

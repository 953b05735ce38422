import { type KeyboardEvent, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { Layout } from '../../../components/layout';
import { storedReferral } from '../../../lib/referral';
import { usePageTitle } from '../../../lib/use-page-title';
import { useCurrentPlanSlug } from '../api/get-current-plan';
import { useProducts } from '../api/get-products';
import { Faq } from './faq';
import { PlanCard } from './plan-card';

type PlanType = 'starter' | 'enterprise';
const PLAN_TYPES: readonly PlanType[] = ['starter', 'enterprise'];

export function PricingPage() {
  const [params] = useSearchParams();
  // The first code within 30 days counts, even if this visit came without one.
  const refCode = storedReferral() ?? params.get('ref');
  const [type, setType] = useState<PlanType>('starter');
  const products = useProducts();
  const currentSlug = useCurrentPlanSlug();
  usePageTitle('Plans and prices');
  const shown = products.data?.filter((p) => p.planType === type) ?? [];
  // WAI-ARIA tabs with automatic activation: Left/Right wrap around, Home/End jump; the new tab is selected and focused.
  function onTabKey(e: KeyboardEvent<HTMLDivElement>) {
    const i = PLAN_TYPES.indexOf(type);
    const last = PLAN_TYPES.length - 1;
    const moves: Record<string, number> = { ArrowRight: i === last ? 0 : i + 1, ArrowLeft: i === 0 ? last : i - 1, Home: 0, End: last };
    const next = moves[e.key];
    if (next === undefined) return;
    e.preventDefault();
    const t = PLAN_TYPES[next] as PlanType;
    setType(t);
    document.getElementById(`tab-${t}`)?.focus();
  }
  const featuredSlug = shown.length >= 3 ? shown[1]?.slug : undefined;

  return (
    <Layout>
      <section className="hero">
        <h1>Your Telegram ad, posted on schedule into every group you choose.</h1>
        <p className="lead">
          Pick a plan, pay with crypto, add your HQAdz bots to your groups and channels — they post your ad on time, every time, for 30 days. You see every
          delivered post.
        </p>
      </section>

      <section aria-labelledby="plans-heading" className="plans-section">
        <h2 id="plans-heading" className="sr-only">
          Plans
        </h2>
        <div className="segmented" role="tablist" aria-label="Plan type" onKeyDown={onTabKey}>
          {PLAN_TYPES.map((t) => (
            <button
              key={t}
              id={`tab-${t}`}
              role="tab"
              type="button"
              aria-selected={type === t}
              aria-controls="plans-panel"
              // Roving tabindex (WAI-ARIA tabs): only the selected tab is in the Tab order; arrows move between tabs.
              tabIndex={type === t ? 0 : -1}
              className={type === t ? 'active' : ''}
              onClick={() => setType(t)}
            >
              {t === 'starter' ? 'Starter' : 'Enterprise'}
            </button>
          ))}
        </div>

        <div id="plans-panel" role="tabpanel" aria-labelledby={`tab-${type}`}>
          {products.isPending && (
            <div className="plans-grid" role="status" aria-busy="true" aria-label="Loading plans">
              {[0, 1, 2, 3].map((i) => (
                <div key={i} className="plan-card skeleton" />
              ))}
            </div>
          )}
          {products.isError && (
            <div className="notice notice-error" role="alert">
              <p>We couldn't load the plans. {products.error.message}</p>
              <button type="button" className="btn btn-secondary" onClick={() => products.refetch()}>
                Try again
              </button>
            </div>
          )}
          {products.isSuccess && shown.length === 0 && <p className="empty">No {type} plans are on sale right now. Check back soon.</p>}
          {products.isSuccess && shown.length > 0 && (
            <div className="plans-grid" data-testid="plans-grid">
              {shown.map((p) => (
                <PlanCard key={p.id} plan={p} refCode={refCode} featured={p.slug === featuredSlug} current={p.slug === currentSlug} />
              ))}
            </div>
          )}
        </div>
        <p className="muted center">
          Prices in USD for 30 days. Pay in BTC, ETH, SOL, LTC or USDT. Already a customer? <Link to="/login">Log in</Link>
        </p>
      </section>

      <Faq />
    </Layout>
  );
}

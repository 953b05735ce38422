import { useState } from 'react';
import { Link, useNavigationType, useSearchParams } from 'react-router';
import type { CancelledCheckout, ChangedPayment, CreatedPayment } from '../../../../src/shared/api/checkout';
import { Layout } from '../../../components/layout';
import { ApiError } from '../../../lib/api-client';
import { usePageTitle } from '../../../lib/use-page-title';
import { useMe } from '../../auth/api/get-me';
import { useUserStatus } from '../../dashboard/api/get-user-status';
import { useProducts } from '../../pricing/api/get-products';
import { useCreatePayment } from '../api/create-payment';
import { purchaseLabel, purchaseLine } from '../lib/purchase-line';
import {
  clearStoredPayment,
  forgetFinishedOrder,
  isOrderFinished,
  loadStoredPayment,
  markOrderFinished,
  type StoredPayment,
  saveStoredPayment,
} from '../lib/stored-payment';
import { CheckoutForm, type CheckoutFormValues } from './checkout-form';
import { OrderSummary } from './order-summary';
import { PayStep } from './pay-step';

export function CheckoutPage() {
  const [params] = useSearchParams();
  const slug = params.get('plan') ?? '';
  const refCode = params.get('ref') ?? undefined;
  const products = useProducts();
  const plan = products.data?.find((p) => p.slug === slug);

  const [stored, setStored] = useState<StoredPayment | null>(() => (slug ? loadStoredPayment(slug) : null));
  // Reload and Back/Forward (POP) land on the finished order; a link here (Renew, Get started) is a new purchase.
  const navigationType = useNavigationType();
  const [finished, setFinished] = useState(() => !!slug && !stored && navigationType === 'POP' && isOrderFinished(slug));
  const [email, setEmail] = useState(() => stored?.email ?? params.get('email') ?? '');
  const [currency, setCurrency] = useState<string | undefined>(stored?.currency);
  const [cancelledOrder, setCancelledOrder] = useState<number | null>(null);
  const create = useCreatePayment();
  const me = useMe();
  const customer = me.data?.role === 'customer' ? me.data : null;
  const account = useUserStatus({ enabled: customer !== null });
  const current = account.data ?? null;
  const kindFor = (forEmail: string) =>
    plan && current && products.data && sameEmail(forEmail, account.data?.email) ? purchaseLabel(plan, current, products.data) : null;
  // Before an email is typed, a signed-in customer is buying for their own account.
  const kind = kindFor(email || account.data?.email || '');

  /** What this browser keeps about a payment it created, resumed or switched to. */
  function remember(res: CreatedPayment, forEmail: string, extra: Partial<StoredPayment> = {}) {
    // A resumed payment comes back without its secret; keep the one this browser already holds.
    const previous = loadStoredPayment(slug);
    const label = kindFor(forEmail);
    const next: StoredPayment = {
      paymentId: res.paymentId,
      checkoutSecret: res.checkoutSecret ?? (previous?.paymentId === res.paymentId ? previous.checkoutSecret : null),
      email: forEmail,
      currency: res.payCurrency,
      known: {
        payAddress: res.payAddress,
        payAmount: res.payAmount,
        payCurrency: res.payCurrency,
        expiresAt: res.expiresAt,
        priceUsd: res.priceUsd,
        orderNumber: res.orderNumber,
      },
      ...(label ? { kind: label } : {}),
      ...extra,
    };
    saveStoredPayment(slug, next);
    setStored(next);
    setCancelledOrder(null);
  }

  async function submit(v: CheckoutFormValues) {
    setEmail(v.email);
    setCurrency(v.currency);
    try {
      remember(await create.mutateAsync({ email: v.email, slug, currency: v.currency, ...(refCode ? { ref: refCode } : {}) }), v.email);
    } catch {
      // rendered from create.error
    }
  }

  function cancelled(r: CancelledCheckout) {
    // Back to the form with the same email and coin: the plan's page offers a fresh checkout.
    clearStoredPayment(slug);
    create.reset();
    setStored(null);
    setCancelledOrder(r.orderNumber);
  }

  function replaced(r: ChangedPayment) {
    setCurrency(r.payCurrency);
    remember(r, stored?.email ?? email, { replacesOrderNumber: r.replacesOrderNumber });
  }

  function startAgain() {
    clearStoredPayment(slug);
    forgetFinishedOrder(slug);
    setFinished(false);
    create.reset();
    setStored(null);
  }

  function secretSpent() {
    // The one-time secret is used up; the payment is done, so the next visit starts fresh.
    clearStoredPayment(slug);
    markOrderFinished(slug);
  }

  let body;
  if (!slug) {
    body = <PickAPlan title="Pick a plan first" text="Checkout starts from a plan. Choose one on the pricing page." />;
  } else if (products.isError) {
    body = (
      <div className="notice notice-error" role="alert">
        <p>We couldn't load this plan. {products.error.message}</p>
        <button type="button" className="btn btn-secondary" onClick={() => products.refetch()}>
          Try again
        </button>
      </div>
    );
  } else if (products.isSuccess && !plan) {
    body = <PickAPlan title="That plan doesn't exist" text="It may have been renamed or retired. See the current plans." />;
  } else if (finished) {
    body = <FinishedPanel onNewOrder={startAgain} />;
  } else if (stored) {
    body = (
      <PayStep
        stored={stored}
        signedInEmail={account.data?.email ?? null}
        onStartAgain={startAgain}
        onSecretSpent={secretSpent}
        onLost={startAgain}
        onCancelled={cancelled}
        onReplaced={replaced}
        refCode={refCode}
      />
    );
  } else if (create.error instanceof ApiError && create.error.code === 'out_of_stock') {
    body = <SoldOut message={create.error.message} />;
  } else if (plan && !plan.available) {
    body = <SoldOut />;
  } else {
    const err = create.error instanceof ApiError ? create.error : null;
    const providerDown = err !== null && (err.status >= 500 || err.status === 0);
    body = (
      <>
        {cancelledOrder !== null && !err && (
          <p className="notice notice-info" role="status" data-testid="cancelled-notice">
            Order #{cancelledOrder} is cancelled — nothing was charged. Choose a coin to start a new payment.
          </p>
        )}
        {err && (
          <div className="notice notice-error" role="alert" data-testid="create-error">
            {providerDown ? (
              <p>
                <strong>The payment provider didn't answer.</strong> No order was made and nothing was charged — try again in a moment.
              </p>
            ) : (
              <p>{err.message}</p>
            )}
          </div>
        )}
        <CheckoutForm
          key={account.data?.email ?? 'anonymous'}
          initialEmail={email || (account.data?.email ?? '')}
          initialCurrency={currency}
          busy={create.isPending || !plan}
          onSubmit={submit}
        />
      </>
    );
  }

  return (
    <Layout>
      <div className="checkout">
        <Link to={`/${refCode ? `?ref=${encodeURIComponent(refCode)}` : ''}`} className="back-link">
          ← All plans
        </Link>
        {slug && (products.isPending || plan) && <OrderSummary plan={plan} orderNumber={stored?.known?.orderNumber ?? null} />}
        {plan && current && kind && !stored && !finished && (
          <p className="notice notice-info purchase-kind" data-testid="purchase-kind">
            {purchaseLine(kind, plan, current, Date.now(), products.data)}
          </p>
        )}
        {body}
      </div>
    </Layout>
  );
}

const sameEmail = (a: string, b: string | null | undefined) => !!b && a.trim().toLowerCase() === b.trim().toLowerCase();

function PickAPlan({ title, text }: { title: string; text: string }) {
  usePageTitle(title);
  return (
    <section className="card status-card">
      <h1>{title}</h1>
      <p className="muted">{text}</p>
      <Link to="/" className="btn btn-primary">
        See the plans
      </Link>
    </section>
  );
}

function FinishedPanel({ onNewOrder }: { onNewOrder: () => void }) {
  usePageTitle("You're all set");
  return (
    <section className="card status-card ready" aria-labelledby="finished-heading" data-testid="order-finished">
      <div className="big-check" aria-hidden="true">
        ✓
      </div>
      <h2 id="finished-heading">You're all set — open your dashboard</h2>
      <p className="muted">This order is paid and your plan is active. Your access code was shown once and is also in your purchase email.</p>
      <Link to="/dashboard" className="btn btn-primary btn-block btn-lg">
        Open my dashboard
      </Link>
      <p className="small muted">
        Want to buy again?{' '}
        <button type="button" className="link-btn" onClick={onNewOrder}>
          Start a new order
        </button>
      </p>
    </section>
  );
}

function SoldOut({ message }: { message?: string }) {
  usePageTitle('Sold out');
  return (
    <section className="card status-card" data-testid="sold-out">
      <h2>Sold out — check back soon</h2>
      <p className="muted">
        {message ?? 'Every account for this plan is in use right now.'} No payment was started and nothing was charged. A smaller plan may still be available.
      </p>
      <Link to="/" className="btn btn-primary">
        See other plans
      </Link>
    </section>
  );
}

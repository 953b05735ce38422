import Big from 'big.js';
import type { CancelledCheckout, ChangedPayment } from '../../../../src/shared/api/checkout';
import { ApiError } from '../../../lib/api-client';
import { formatCoinAmount } from '../../../lib/format';
import { SupportLink } from '../../../lib/support';
import { useMeta } from '../../../lib/use-meta';
import { usePageTitle } from '../../../lib/use-page-title';
import { isFinalPayment, type PaymentStatus, usePaymentStatus } from '../api/get-payment-status';
import { coinInfo } from '../lib/coins';
import { payStepTitle } from '../lib/pay-step-title';
import type { StoredPayment } from '../lib/stored-payment';
import { PayActions } from './pay-actions';
import { PayDetails } from './pay-details';
import { DepositList, OverpaidNotice, PaymentStages, ProgressLine, progress, type Stage } from './payment-progress';
import { ReadyPanel } from './ready-panel';
import { SimulatePanel } from './simulate-panel';

/** After an underpayment: what is still missing, less what is already on its way (a top-up confirming). */
function stillToSend(s: PaymentStatus): string | null {
  if (s.missingAmount == null) return null;
  const left = new Big(s.missingAmount).minus(s.confirming ?? '0');
  return left.gt(0) ? left.toString() : null;
}

function stage(s: PaymentStatus): Stage {
  if (s.orderStatus === 'fulfilled') return 'ready';
  if (s.status === 'paid' || s.orderStatus === 'paid') return 'paid';
  // The invoice confirming, or a top-up that covers what was missing.
  if (s.status === 'confirming' || (s.confirming != null && stillToSend(s) === null)) return 'confirming';
  return 'waiting';
}

export function PayStep({
  stored,
  signedInEmail,
  onStartAgain,
  onSecretSpent,
  onLost,
  onCancelled,
  onReplaced,
  refCode,
}: {
  stored: StoredPayment;
  signedInEmail?: string | null;
  onStartAgain: () => void;
  onSecretSpent: () => void;
  onLost: () => void;
  onCancelled: (r: CancelledCheckout) => void;
  onReplaced: (r: ChangedPayment) => void;
  refCode?: string | undefined;
}) {
  const status = usePaymentStatus({
    paymentId: stored.paymentId,
    checkoutSecret: stored.checkoutSecret,
    known: { payCurrency: stored.currency, ...stored.known },
  });
  const meta = useMeta();
  usePageTitle(payStepTitle(status.data));

  if (status.isPending) {
    return <section className="card pay-card skeleton pay-skeleton" aria-busy="true" aria-label="Loading your payment" />;
  }
  if (status.isError) {
    const lost = status.error instanceof ApiError && status.error.code === 'not_found';
    return (
      <section className="card status-card" role="alert">
        <h2>{lost ? 'We could not find that payment' : 'Could not check your payment'}</h2>
        <p className="muted">{lost ? 'It may have been removed. Start a new one — nothing was charged for it.' : status.error.message}</p>
        <button type="button" className="btn btn-primary" onClick={lost ? onLost : () => status.refetch()}>
          {lost ? 'Start a new payment' : 'Try again'}
        </button>
      </section>
    );
  }

  const s = status.data;
  const final = isFinalPayment(s);
  const simulate = meta.data?.testMode && !final && s.orderStatus !== 'paid' ? <SimulatePanel s={s} /> : null;

  if (s.orderStatus === 'fulfilled') {
    const ownAccount = !!signedInEmail && signedInEmail.toLowerCase() === stored.email.trim().toLowerCase();
    return (
      <>
        <OverpaidNotice s={s} />
        <ReadyPanel
          checkoutSecret={stored.checkoutSecret}
          signedIn={ownAccount}
          kind={stored.kind}
          planName={s.planName ?? null}
          onSecretSpent={onSecretSpent}
          onNewOrder={onStartAgain}
        />
        <PaymentStages s={s} boxed />
      </>
    );
  }
  if (s.orderStatus === 'cancelled') {
    return (
      <section className="card status-card" data-testid="payment-cancelled">
        <h2>Order{s.orderNumber ? ` #${s.orderNumber}` : ''} was cancelled</h2>
        <p className="muted">Nothing was charged. If you sent coins to its address anyway, they still count: we email you once they arrive.</p>
        <button type="button" className="btn btn-primary btn-block" onClick={onStartAgain}>
          Start again
        </button>
      </section>
    );
  }
  if (s.status === 'expired' || s.orderStatus === 'expired') {
    return (
      <section className="card status-card" data-testid="payment-expired">
        <h2>This payment expired</h2>
        <p className="muted">
          The address was only valid for a limited time and no full payment arrived. If you already sent coins, don't send again — contact support at{' '}
          <SupportLink subject={`Expired payment${s.orderNumber ? ` — order #${s.orderNumber}` : ''}`} /> with your order number
          {s.orderNumber ? ` (#${s.orderNumber})` : ''}.
        </p>
        <button type="button" className="btn btn-primary btn-block" onClick={onStartAgain}>
          Start again
        </button>
      </section>
    );
  }
  if (s.status === 'failed' || s.status === 'refunded' || s.orderStatus === 'failed' || s.orderStatus === 'refunded') {
    const refunded = s.status === 'refunded' || s.orderStatus === 'refunded';
    return (
      <section className="card status-card" data-testid="payment-failed">
        <h2>{refunded ? 'This payment was refunded' : 'This payment failed'}</h2>
        <p className="muted">
          {refunded
            ? 'The payment provider sent the coins back to you, so no plan was started.'
            : 'The payment provider could not complete this payment, so no plan was started.'}{' '}
          If you think this is wrong, contact support and mention order{s.orderNumber ? ` #${s.orderNumber}` : ' your email'}.
        </p>
        <div className="row-actions">
          <button type="button" className="btn btn-primary" onClick={onStartAgain}>
            Try a new payment
          </button>
          <SupportLink className="btn btn-secondary" subject={`Payment failed${s.orderNumber ? ` — order #${s.orderNumber}` : ''}`}>
            Contact support
          </SupportLink>
        </div>
        <p className="small muted">
          Support: <SupportLink />
        </p>
      </section>
    );
  }

  const current = stage(s);
  const currentIndex = progress.findIndex((p) => p.key === current);
  const confirmed = (s.deposits ?? []).some((d) => d.status === 'confirmed' || d.status === 'sending');

  if (current === 'paid') {
    return (
      <section className="card status-card" data-testid="payment-paid">
        <ProgressLine currentIndex={currentIndex} />
        <h2>Paid — setting up your bot</h2>
        <OverpaidNotice s={s} />
        {s.backordered ? (
          <p className="notice notice-info">
            Your payment is safe. All our accounts are busy right now; your bot is set up automatically as soon as one frees up, and we email you when it's
            ready.
          </p>
        ) : (
          <p className="muted">This takes a few seconds. Keep this page open.</p>
        )}
        <DepositList s={s} />
        <PaymentStages s={s} />
      </section>
    );
  }

  // Without the checkout secret the server sends no amounts: say what we can, and show the invoice's.
  const detailed = s.received !== undefined;
  const underpaid = detailed ? s.missingAmount != null : s.status === 'partially_paid' || s.orderStatus === 'partially_paid';
  const toSend = underpaid && detailed ? stillToSend(s) : s.payAmount;
  const code = coinInfo(s.payCurrency).code;
  const amount = (v: string) => `${formatCoinAmount(v, s.payCurrency)} ${code}`;
  // Cancel and change coin only while nothing was sent: the server refuses them afterwards.
  const untouched = s.status === 'waiting' && s.orderStatus === 'pending' && !s.confirming;
  return (
    <section className="card pay-card" aria-labelledby="pay-heading" data-testid="pay-step">
      <h2 id="pay-heading" className="step-title">
        <span className="step-num">3</span> {underpaid ? 'Send the rest' : 'Pay'}
        {s.orderNumber != null && (
          <span className="pay-order muted small" data-testid="pay-order-number">
            Order #{s.orderNumber}
          </span>
        )}
      </h2>
      <ProgressLine currentIndex={currentIndex} confirmed={confirmed} />
      <PaymentStages s={s} />
      {stored.replacesOrderNumber != null && untouched && (
        <p className="notice notice-info small" data-testid="replaces-order">
          This payment replaces order #{stored.replacesOrderNumber}, which is cancelled. Don't send anything to its address.
        </p>
      )}
      {underpaid && (
        <div className="notice notice-warning" role="alert" data-testid="payment-underpaid">
          <strong>Part of the payment arrived.</strong>{' '}
          {detailed ? (
            <>
              We received <span data-testid="received-amount">{amount(s.received ?? '0')}</span> of {amount(s.payAmount ?? '0')}.{' '}
            </>
          ) : (
            'We received less than the full amount. '
          )}
          {!detailed ? (
            'Send the rest to the same address below.'
          ) : toSend ? (
            <>
              Send the missing <span data-testid="missing-amount">{amount(toSend)}</span> to the same address below.
            </>
          ) : (
            'The rest is on its way: it is being confirmed.'
          )}
        </div>
      )}
      <DepositList s={s} />
      {s.payAddress && toSend != null ? (
        <PayDetails s={s} address={s.payAddress} amount={toSend} underpaid={underpaid} />
      ) : current === 'confirming' ? (
        <p className="notice notice-info" role="status">
          Your coins are on the chain. Confirmations usually take a few minutes; this page updates by itself.
        </p>
      ) : (
        <p className="notice notice-info" role="status">
          The payment provider is still issuing your address. This page updates by itself.
        </p>
      )}
      {untouched && stored.checkoutSecret && (
        <PayActions
          paymentId={s.paymentId}
          checkoutSecret={stored.checkoutSecret}
          orderNumber={s.orderNumber}
          payCurrency={s.payCurrency}
          refCode={refCode}
          onCancelled={onCancelled}
          onReplaced={onReplaced}
        />
      )}
      {simulate}
    </section>
  );
}

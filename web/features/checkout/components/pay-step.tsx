import { Link } from 'react-router';
import { CopyButton } from '../../../components/copy-button';
import { ApiError } from '../../../lib/api-client';
import { exactTime, formatCoinAmount, formatCountdown, formatUsd } from '../../../lib/format';
import { SupportLink } from '../../../lib/support';
import { useMeta } from '../../../lib/use-meta';
import { useNow } from '../../../lib/use-now';
import { isFinalPayment, type PaymentStatus, usePaymentStatus } from '../api/get-payment-status';
import { coinInfo, paymentUri } from '../lib/coins';
import type { StoredPayment } from '../lib/stored-payment';
import { PaymentQr } from './payment-qr';
import { ReadyPanel } from './ready-panel';
import { SimulatePanel } from './simulate-panel';

const progress = [
  { key: 'waiting', label: 'Waiting for payment' },
  { key: 'confirming', label: 'Payment seen, confirming' },
  { key: 'paid', label: 'Paid — setting up your bot' },
  { key: 'ready', label: 'Ready' },
] as const;

function stage(s: PaymentStatus): (typeof progress)[number]['key'] {
  if (s.orderStatus === 'fulfilled') return 'ready';
  if (s.status === 'paid' || s.orderStatus === 'paid') return 'paid';
  if (s.status === 'confirming') return 'confirming';
  return 'waiting';
}

export function PayStep({
  stored,
  signedInEmail,
  onStartAgain,
  onSecretSpent,
  onLost,
}: {
  stored: StoredPayment;
  signedInEmail?: string | null;
  onStartAgain: () => void;
  onSecretSpent: () => void;
  onLost: () => void;
}) {
  const status = usePaymentStatus({
    paymentId: stored.paymentId,
    checkoutSecret: stored.checkoutSecret,
    known: { payCurrency: stored.currency, ...stored.known },
  });
  const meta = useMeta();

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
  const simulate = meta.data?.testMode && !final && s.orderStatus !== 'paid' ? <SimulatePanel paymentId={s.paymentId} payAmount={s.payAmount ?? '0'} /> : null;

  if (s.orderStatus === 'fulfilled') {
    const ownAccount = !!signedInEmail && signedInEmail.toLowerCase() === stored.email.trim().toLowerCase();
    return (
      <ReadyPanel
        checkoutSecret={stored.checkoutSecret}
        signedIn={ownAccount}
        kind={stored.kind}
        planName={s.planName ?? null}
        onSecretSpent={onSecretSpent}
        onNewOrder={onStartAgain}
      />
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

  if (current === 'paid') {
    return (
      <section className="card status-card" data-testid="payment-paid">
        <ProgressLine currentIndex={currentIndex} />
        <h2>Paid — setting up your bot</h2>
        {s.backordered ? (
          <p className="notice notice-info">
            Your payment is safe. All our accounts are busy right now; your bot is set up automatically as soon as one frees up, and we email you when it's
            ready.
          </p>
        ) : (
          <p className="muted">This takes a few seconds. Keep this page open.</p>
        )}
      </section>
    );
  }

  const underpaid = s.status === 'partially_paid' || s.orderStatus === 'partially_paid';
  const amountDue = underpaid && s.missingAmount != null ? s.missingAmount : s.payAmount;
  return (
    <section className="card pay-card" aria-labelledby="pay-heading" data-testid="pay-step">
      <h2 id="pay-heading" className="step-title">
        <span className="step-num">3</span> {underpaid ? 'Send the rest' : 'Pay'}
      </h2>
      <ProgressLine currentIndex={currentIndex} />
      {underpaid && (
        <div className="notice notice-warning" role="alert" data-testid="payment-underpaid">
          <strong>Part of the payment arrived.</strong> We received{' '}
          {s.actuallyPaid != null ? `${formatCoinAmount(s.actuallyPaid, s.payCurrency)} ${coinInfo(s.payCurrency).code}` : 'less than the full amount'}. Send
          the missing {amountDue != null ? formatCoinAmount(amountDue, s.payCurrency) : ''} {coinInfo(s.payCurrency).code} to the same address below.
        </div>
      )}
      {s.payAddress && amountDue != null ? (
        <PaymentDetails s={s} address={s.payAddress} amount={amountDue} underpaid={underpaid} />
      ) : (
        <p className="notice notice-info" role="status">
          The payment provider is still issuing your address. This page updates by itself.
        </p>
      )}
      {simulate}
    </section>
  );
}

function ProgressLine({ currentIndex }: { currentIndex: number }) {
  return (
    <ol className="progress" aria-label="Payment progress">
      {progress.map((p, i) => (
        <li key={p.key} className={i < currentIndex ? 'done' : i === currentIndex ? 'current' : ''} aria-current={i === currentIndex ? 'step' : undefined}>
          {p.label}
        </li>
      ))}
      <li className="sr-only" role="status" data-testid="payment-status-line">
        {progress[currentIndex]?.label}
      </li>
    </ol>
  );
}

function PaymentDetails({ s, address, amount, underpaid }: { s: PaymentStatus; address: string; amount: number | string; underpaid: boolean }) {
  const now = useNow();
  const coin = coinInfo(s.payCurrency);
  const amountText = formatCoinAmount(amount, s.payCurrency);
  const leftMs = s.expiresAt ? new Date(s.expiresAt).getTime() - now : null;
  return (
    <div className="pay-details">
      <div className="pay-qr">
        <PaymentQr uri={paymentUri(s.payCurrency, address, amount)} label={`QR code to pay ${amountText} ${coin.code}`} />
        {leftMs !== null && (
          <p className={`countdown${leftMs < 5 * 60_000 ? ' urgent' : ''}`} title={`Expires ${exactTime(s.expiresAt!)}`}>
            {leftMs > 0 ? (
              <>
                Expires in <strong data-testid="payment-countdown">{formatCountdown(leftMs)}</strong>
              </>
            ) : (
              'Expiring — checking…'
            )}
          </p>
        )}
      </div>
      <div className="pay-fields">
        <div className="copy-field">
          <span className="copy-label">{underpaid ? 'Missing amount' : 'Amount'}</span>
          <div className="copy-row">
            <code className="copy-value" data-testid="pay-amount">
              {amountText} {coin.code}
            </code>
            <CopyButton value={amountText} label="amount" />
          </div>
          {s.priceUsd != null && !underpaid && <span className="field-hint">≈ {formatUsd(s.priceUsd)}</span>}
        </div>
        <div className="copy-field">
          <span className="copy-label">Address on {coin.network}</span>
          <div className="copy-row">
            <code className="copy-value address" data-testid="pay-address">
              {address}
            </code>
            <CopyButton value={address} label="address" />
          </div>
        </div>
        <p className="notice notice-warning small">
          Send exactly this amount on the <strong>{coin.network}</strong> network. Another network or a smaller amount delays or loses your payment.
        </p>
        <p className="small muted">
          This page updates by itself. You can close it — your payment is remembered on this device, and we email you when your bot is ready.{' '}
          <Link to="/login">Already have an access code?</Link>
        </p>
      </div>
    </div>
  );
}

import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { CopyButton } from '../../../components/copy-button';
import { ApiError } from '../../../lib/api-client';
import { exactTime } from '../../../lib/format';
import { useCheckoutLogin } from '../../auth/api/checkout-login';
import { useUserStatus } from '../../dashboard/api/get-user-status';
import type { PurchaseLabel } from '../lib/purchase-line';

export function ReadyPanel({
  checkoutSecret,
  signedIn = false,
  kind,
  planName,
  onSecretSpent,
  onNewOrder,
}: {
  checkoutSecret: string | null | undefined;
  /** The buyer is already logged in here as the customer this order was for. */
  signedIn?: boolean;
  kind?: PurchaseLabel | undefined;
  planName?: string | null;
  onSecretSpent: () => void;
  onNewOrder: () => void;
}) {
  const navigate = useNavigate();
  const open = useCheckoutLogin();
  const [accessCode, setAccessCode] = useState<string | null>(null);
  const qc = useQueryClient();
  const account = useUserStatus({ enabled: signedIn });
  useEffect(() => {
    // The plan just changed; the cached status still holds the old end date.
    if (signedIn) void qc.invalidateQueries({ queryKey: ['user'] });
  }, [signedIn, qc]);

  if (signedIn) {
    // Until the refetch above lands, the cached status still describes the plan before this payment.
    const fresh = account.isFetchedAfterMount && !account.isError ? account.data : undefined;
    const until = fresh?.expiresAt ? exactTime(fresh.expiresAt) : null;
    const name = planName ?? fresh?.plan?.name ?? 'your new plan';
    const heading =
      kind === 'credit'
        ? `Added to your ${fresh?.plan?.name ?? 'current'} plan as days`
        : kind === 'upgrade' || kind === 'change'
          ? `${kind === 'upgrade' ? 'Upgraded' : 'Switched'} to ${name}`
          : kind === 'renewal'
            ? `Renewed — your plan now runs until ${until ?? '…'}`
            : `Done — your plan is updated${until ? ` and runs until ${until}` : ''}`;
    return (
      <section className="card status-card ready" aria-labelledby="ready-heading" data-testid="payment-ready">
        <div className="big-check" aria-hidden="true">
          ✓
        </div>
        <h2 id="ready-heading" data-testid="ready-heading">
          {heading}
        </h2>
        <p className="muted">
          Payment received.
          {kind !== 'renewal' && until ? ` Your plan now runs until ${until}.` : ''} Your ad and chats are kept as they were.
        </p>
        <Link to="/dashboard" className="btn btn-primary btn-block btn-lg" onClick={onSecretSpent}>
          Back to my dashboard
        </Link>
      </section>
    );
  }

  async function openDashboard() {
    if (!checkoutSecret) return;
    try {
      const res = await open.mutateAsync(checkoutSecret);
      onSecretSpent();
      if (res.accessCode) setAccessCode(res.accessCode);
      else navigate('/dashboard');
    } catch {
      // shown below from open.error
    }
  }

  if (accessCode) {
    return (
      <section className="card status-card" aria-labelledby="code-heading" data-testid="access-code-panel">
        <h2 id="code-heading">Your access code</h2>
        <p>This is how you log in to your dashboard. It is shown here only once — save it now.</p>
        <div className="copy-row">
          <code className="access-code" data-testid="access-code">
            {accessCode}
          </code>
          <CopyButton value={accessCode} label="access code" />
        </div>
        <p className="small muted">Save it — it's also in your email.</p>
        <button type="button" className="btn btn-primary btn-block" onClick={() => navigate('/dashboard')}>
          Continue to my dashboard
        </button>
      </section>
    );
  }

  const err = open.error instanceof ApiError ? open.error : null;
  // `conflict`: the email already had an account, so this checkout cannot log in — the access code can.
  const hasAccount = err?.code === 'conflict';
  const spent = err?.code === 'gone' || hasAccount;
  return (
    <section className="card status-card ready" aria-labelledby="ready-heading" data-testid="payment-ready">
      <div className="big-check" aria-hidden="true">
        ✓
      </div>
      <h2 id="ready-heading">{kind ? 'Payment received — your plan is updated' : 'Ready — your bot is set up'}</h2>
      <p className="muted">{kind ? 'Your ad and chats are kept as they were.' : 'Payment received. Next: add your bots to your groups and write your ad.'}</p>
      {checkoutSecret && !spent ? (
        <button type="button" className="btn btn-primary btn-block btn-lg" onClick={openDashboard} disabled={open.isPending}>
          {open.isPending ? 'Opening…' : 'Open my dashboard'}
        </button>
      ) : (
        <Link to="/login" className="btn btn-primary btn-block btn-lg">
          Log in with your access code
        </Link>
      )}
      {open.isError && (
        <p className={`notice ${spent ? 'notice-info' : 'notice-error'}`} role="alert">
          {hasAccount
            ? 'This email already has an HQAdz account — your plan is updated. Log in with the access code we emailed to it (a payment for an existing account may bring a fresh code, sent only to the inbox).'
            : spent
              ? 'This browser already used its one-time sign-in. Log in with the access code from your purchase email.'
              : err?.code === 'not_ready'
                ? 'Almost there — your bot is still being set up. Try again in a few seconds.'
                : open.error.message}
        </p>
      )}
      {!checkoutSecret && <p className="small muted">Your access code is in the purchase email we just sent.</p>}
      <p className="small muted">
        Came here to buy again?{' '}
        <button type="button" className="link-btn" onClick={onNewOrder}>
          Start a new order
        </button>
      </p>
    </section>
  );
}

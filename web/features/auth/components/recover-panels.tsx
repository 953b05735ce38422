import { type FormEvent, useEffect, useRef, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { CopyButton } from '../../../components/copy-button';
import { ApiError } from '../../../lib/api-client';
import { SupportLink } from '../../../lib/support';
import { usePageTitle } from '../../../lib/use-page-title';
import { homeFor } from '../api/login';
import { useRedeemRecovery, useRequestRecovery } from '../api/recover';

/** "Lost your code?": an email address in, a one-time link out (to the inbox, never to this page). */
export function LostCodeForm() {
  const request = useRequestRecovery();
  const [email, setEmail] = useState('');
  const [invalid, setInvalid] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const value = email.trim();
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value)) {
      setInvalid(true);
      return;
    }
    try {
      await request.mutateAsync(value);
    } catch {
      // shown below
    }
  }

  if (request.isSuccess) {
    return (
      <p className="notice notice-info" role="status" data-testid="recover-sent">
        If <strong>{email.trim()}</strong> has an HQAdz account, we've sent it a link to get a new access code. It works once, for 30 minutes. Check your spam
        folder too.
      </p>
    );
  }
  const err = request.error instanceof ApiError ? request.error : null;
  const message = invalid ? 'Enter the email address you paid with.' : err ? err.message : null;
  return (
    <form onSubmit={submit} noValidate data-testid="recover-form">
      <p>Enter the email address you paid with. We'll email you a link that gives you a new access code; the old one stops working when you use it.</p>
      <div className="field">
        <label htmlFor="recover-email">Email address</label>
        <input
          id="recover-email"
          type="email"
          autoComplete="email"
          value={email}
          aria-invalid={message ? true : undefined}
          aria-describedby={message ? 'recover-error' : undefined}
          onChange={(e) => {
            setEmail(e.target.value);
            setInvalid(false);
          }}
        />
      </div>
      <p id="recover-error" className={message ? 'notice notice-error' : 'sr-only'} role="alert">
        {message}
      </p>
      <button type="submit" className="btn btn-secondary btn-block" disabled={request.isPending}>
        {request.isPending ? 'Sending…' : 'Email me a link'}
      </button>
      <p className="small muted">
        No access to that inbox any more? Write to <SupportLink subject="Lost access code" />.
      </p>
    </form>
  );
}

/** The page a recovery link opens: trades the link for a new code, shows it once. */
export function RedeemRecoveryPanel({ token }: { token: string }) {
  const navigate = useNavigate();
  const redeem = useRedeemRecovery();
  usePageTitle('Recover your access code');
  const started = useRef(false);
  useEffect(() => {
    // Once per page: the link works once, and React may run effects twice in development.
    if (started.current) return;
    started.current = true;
    redeem.mutate(token);
    // The token is in the address bar; drop it so it is not left in history or shared by accident.
    window.history.replaceState(null, '', '/login');
  }, [token, redeem]);

  if (redeem.isSuccess) {
    const { accessCode, role } = redeem.data;
    return (
      <section className="card narrow" aria-labelledby="new-code-heading" data-testid="recovered-panel">
        <h1 id="new-code-heading">Your new access code</h1>
        <p>Your old code no longer works, and other devices were logged out. This new code is shown only once — save it now.</p>
        <div className="copy-row">
          <code className="access-code" data-testid="recovered-code">
            {accessCode}
          </code>
          <CopyButton value={accessCode} label="access code" />
        </div>
        <button type="button" className="btn btn-primary btn-block" onClick={() => navigate(homeFor(role), { replace: true })}>
          Continue
        </button>
      </section>
    );
  }
  if (redeem.isError) {
    const gone = redeem.error instanceof ApiError && redeem.error.code === 'gone';
    return (
      <section className="card narrow" aria-labelledby="recover-failed-heading">
        <h1 id="recover-failed-heading">{gone ? 'This link has expired' : "We couldn't use this link"}</h1>
        <p className="notice notice-error" role="alert">
          {redeem.error.message}
        </p>
        <Link to="/login" className="btn btn-primary btn-block" reloadDocument>
          Back to log in
        </Link>
      </section>
    );
  }
  return (
    <section className="card narrow" aria-busy="true">
      <h1>Getting your new access code…</h1>
    </section>
  );
}

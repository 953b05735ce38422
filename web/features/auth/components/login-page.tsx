import { type FormEvent, useState } from 'react';
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router';
import { Layout } from '../../../components/layout';
import { ApiError } from '../../../lib/api-client';
import { useMe } from '../api/get-me';
import { homeFor, useLogin } from '../api/login';
import { LostCodeForm, RedeemRecoveryPanel } from './recover-panels';

// Codes get pasted from emails with stray spaces and line breaks; none of them are part of a code.
const clean = (v: string) => v.replace(/\s+/g, '');

export function LoginPage() {
  const navigate = useNavigate();
  const me = useMe();
  const login = useLogin();
  const [code, setCode] = useState('');
  const [emptyError, setEmptyError] = useState(false);
  const [params] = useSearchParams();
  // Read once: the panel takes the token out of the address bar as soon as it starts.
  const [recoverToken] = useState(() => params.get('recover'));

  if (recoverToken) {
    return (
      <Layout>
        <RedeemRecoveryPanel token={recoverToken} />
      </Layout>
    );
  }
  if (me.data) return <Navigate to={homeFor(me.data.role)} replace />;

  async function submit(e: FormEvent) {
    e.preventDefault();
    const accessCode = clean(code);
    if (!accessCode) {
      setEmptyError(true);
      return;
    }
    try {
      const s = await login.mutateAsync(accessCode);
      navigate(homeFor(s.role), { replace: true });
    } catch {
      // rendered below
    }
  }

  const err = login.error instanceof ApiError ? login.error : null;
  const message = emptyError
    ? 'Enter your access code.'
    : err?.code === 'unauthorized'
      ? "That code didn't match. Check it against your purchase email (resellers: the code from your HQAdz contact) and try again."
      : err?.code === 'rate_limited'
        ? err.message
        : err
          ? err.message
          : null;

  return (
    <Layout
      nav={
        <Link to="/" className="btn btn-ghost">
          See plans
        </Link>
      }
    >
      <section className="card narrow login-card" aria-labelledby="login-heading">
        <h1 id="login-heading">Log in</h1>
        <p className="muted" data-testid="login-hint">
          Use your access code (customers: from your purchase email; resellers: from your HQAdz contact).
        </p>
        <form onSubmit={submit} noValidate>
          <div className="field">
            <label htmlFor="access-code">Access code</label>
            <input
              id="access-code"
              className="mono"
              value={code}
              autoComplete="off"
              autoCapitalize="off"
              autoCorrect="off"
              spellCheck={false}
              aria-invalid={message ? true : undefined}
              aria-describedby={message ? 'login-error' : undefined}
              onChange={(e) => {
                setCode(e.target.value);
                setEmptyError(false);
              }}
              onBlur={() => setCode((c) => clean(c))}
              autoFocus
            />
          </div>
          <p id="login-error" className={message ? `notice ${err?.code === 'rate_limited' ? 'notice-warning' : 'notice-error'}` : 'sr-only'} role="alert">
            {message}
          </p>
          <button type="submit" className="btn btn-primary btn-block" disabled={login.isPending}>
            {login.isPending ? 'Checking…' : 'Log in'}
          </button>
        </form>
        <details className="lost-code">
          <summary>Lost your code?</summary>
          <p className="small muted">
            Your access code is in the email we sent when your payment went through (search your inbox and spam folder for "Access code").
          </p>
          <LostCodeForm />
        </details>
      </section>
    </Layout>
  );
}

import { type FormEvent, useState } from 'react';
import { useCurrencies } from '../api/get-currencies';
import { coinInfo, coinLabel } from '../lib/coins';

// Deliberately loose: the server has the final word; this only catches typos while typing.
const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/;

export type CheckoutFormValues = { email: string; currency: string };

export function CheckoutForm({
  initialEmail,
  initialCurrency,
  busy,
  onSubmit,
}: {
  initialEmail: string;
  initialCurrency?: string;
  busy: boolean;
  onSubmit: (v: CheckoutFormValues) => void;
}) {
  const [email, setEmail] = useState(initialEmail);
  const [touched, setTouched] = useState(initialEmail !== '');
  const [currency, setCurrency] = useState<string | null>(initialCurrency ?? null);
  const [showCoinError, setShowCoinError] = useState(false);
  const currencies = useCurrencies();

  const trimmed = email.trim();
  const emailError = trimmed === '' ? 'Enter your email — your access code is sent there.' : emailPattern.test(trimmed) ? null : 'That email looks incomplete.';

  function submit(e: FormEvent) {
    e.preventDefault();
    setTouched(true);
    if (!currency) setShowCoinError(true);
    if (emailError || !currency) return;
    onSubmit({ email: trimmed, currency });
  }

  return (
    <form className="card checkout-form" onSubmit={submit} noValidate>
      <h2 className="step-title">
        <span className="step-num">1</span> Your email
      </h2>
      <div className="field">
        <label htmlFor="checkout-email">Email address</label>
        <input
          id="checkout-email"
          type="email"
          inputMode="email"
          autoComplete="email"
          value={email}
          placeholder="you@example.com"
          aria-invalid={touched && emailError ? true : undefined}
          aria-describedby="checkout-email-hint"
          onChange={(e) => {
            setEmail(e.target.value);
            if (e.target.value.includes('@')) setTouched(true);
          }}
          onBlur={() => setTouched(true)}
        />
        <span id="checkout-email-hint" className={touched && emailError ? 'field-error' : 'field-hint'}>
          {touched && emailError ? emailError : 'We send your access code and receipts here. No spam.'}
        </span>
      </div>

      <h2 className="step-title">
        <span className="step-num">2</span> Choose a coin
      </h2>
      <fieldset className="coin-fieldset">
        <legend className="sr-only">Coin to pay with</legend>
        {currencies.isPending && (
          <div className="coin-grid" aria-busy="true">
            {[0, 1, 2, 3, 4].map((i) => (
              <div key={i} className="coin-option skeleton coin-skeleton" />
            ))}
          </div>
        )}
        {currencies.isError && (
          <div className="notice notice-error" role="alert">
            <p>We couldn't load the coins. {currencies.error.message}</p>
            <button type="button" className="btn btn-secondary btn-sm" onClick={() => currencies.refetch()}>
              Try again
            </button>
          </div>
        )}
        {currencies.isSuccess && (
          <div className="coin-grid" data-testid="coin-grid">
            {currencies.data.map((c) => {
              const info = coinInfo(c);
              return (
                <label key={c} className={`coin-option${currency === c ? ' selected' : ''}`} data-testid={`coin-${c}`}>
                  <input
                    type="radio"
                    name="currency"
                    value={c}
                    checked={currency === c}
                    onChange={() => {
                      setCurrency(c);
                      setShowCoinError(false);
                    }}
                  />
                  <span className="coin-code">{info.code}</span>
                  <span className="coin-name">{coinLabel(c).split(' · ')[1]}</span>
                </label>
              );
            })}
          </div>
        )}
        {showCoinError && !currency && (
          <p className="field-error" role="alert">
            Pick the coin you'll pay with.
          </p>
        )}
      </fieldset>

      <button type="submit" className="btn btn-primary btn-block btn-lg" disabled={busy}>
        {busy ? 'Creating your payment…' : 'Continue to payment'}
      </button>
    </form>
  );
}

import { useState } from 'react';
import type { CancelledCheckout, ChangedPayment } from '../../../../src/shared/api/checkout';
import { useCancelPayment, useChangeCoin } from '../api/cancel-payment';
import { useCurrencies } from '../api/get-currencies';
import { coinInfo, coinLabel } from '../lib/coins';

export type PayActionsProps = {
  paymentId: string;
  checkoutSecret: string;
  orderNumber: number | undefined;
  payCurrency: string;
  refCode?: string | undefined;
  onCancelled: (r: CancelledCheckout) => void;
  onReplaced: (r: ChangedPayment) => void;
};

/**
 * While nothing has been sent: pay with another coin (a new order replacing this one) or cancel.
 * Both ask first, and both say not to, once coins are on their way: the server refuses then.
 */
export function PayActions({ paymentId, checkoutSecret, orderNumber, payCurrency, refCode, onCancelled, onReplaced }: PayActionsProps) {
  const [open, setOpen] = useState<'none' | 'coin' | 'cancel'>('none');
  const currencies = useCurrencies();
  const cancel = useCancelPayment();
  const change = useChangeCoin();
  const busy = cancel.isPending || change.isPending;
  const order = orderNumber ? `order #${orderNumber}` : 'this order';
  const error = cancel.error ?? change.error;

  async function pick(currency: string) {
    try {
      onReplaced(await change.mutateAsync({ paymentId, checkoutSecret, currency, ...(refCode ? { ref: refCode } : {}) }));
    } catch {
      // shown below
    }
  }

  async function confirmCancel() {
    try {
      onCancelled(await cancel.mutateAsync({ paymentId, checkoutSecret }));
    } catch {
      // shown below
    }
  }

  return (
    <div className="pay-actions" data-testid="pay-actions">
      <div className="row-actions">
        <button type="button" className="btn btn-secondary btn-sm" aria-expanded={open === 'coin'} onClick={() => setOpen(open === 'coin' ? 'none' : 'coin')}>
          Pay with another coin
        </button>
        <button type="button" className="link-btn" aria-expanded={open === 'cancel'} onClick={() => setOpen(open === 'cancel' ? 'none' : 'cancel')}>
          Cancel this payment
        </button>
      </div>
      {open === 'coin' && (
        <fieldset className="coin-fieldset change-coin" disabled={busy}>
          <legend className="small muted">Pick another coin. This starts a new order that replaces {order}; don't send anything to the address above.</legend>
          <div className="coin-grid">
            {(currencies.data ?? [])
              .filter((c) => c !== payCurrency)
              .map((c) => (
                <button key={c} type="button" className="coin-option" data-testid={`change-coin-${c}`} onClick={() => pick(c)}>
                  <span className="coin-code">{coinInfo(c).code}</span>
                  <span className="coin-name">{coinLabel(c).split(' · ')[1]}</span>
                </button>
              ))}
          </div>
          {change.isPending && <p className="small muted">Creating your new payment…</p>}
        </fieldset>
      )}
      {open === 'cancel' && (
        <div className="notice notice-warning" role="alertdialog" aria-label="Cancel this payment?">
          <p>
            <strong>Cancel {order}?</strong> If you already sent coins, don't cancel — wait here for them to arrive. Coins sent after cancelling still count,
            but you would have to wait for our email.
          </p>
          <div className="row-actions">
            <button type="button" className="btn btn-danger btn-sm" disabled={busy} onClick={confirmCancel}>
              {cancel.isPending ? 'Cancelling…' : 'Yes, cancel'}
            </button>
            <button type="button" className="btn btn-secondary btn-sm" onClick={() => setOpen('none')}>
              Keep paying
            </button>
          </div>
        </div>
      )}
      {error && (
        <p className="field-error" role="alert">
          {error.message}
        </p>
      )}
    </div>
  );
}

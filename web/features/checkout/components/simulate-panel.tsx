import Big from 'big.js';
import type { PaymentStatus } from '../api/get-payment-status';
import { type SimulatePaymentInput, useSimulatePayment } from '../api/simulate-payment';

type Action = { label: string; input: Omit<SimulatePaymentInput, 'paymentId'> };

/**
 * The moves a real payment could make from where this one is. "Underpaid" is gone once the full
 * amount was seen (NOWPayments never reports less than it saw), and after an underpayment the
 * rest arrives as NOWPayments records it: a new child payment to the same address.
 */
function actionsFor(s: PaymentStatus): Action[] {
  const due = s.payAmount ?? '0';
  const lapse: Action[] = [
    { label: 'Expire', input: { status: 'expired' } },
    { label: 'Fail', input: { status: 'failed' } },
  ];
  if (s.missingAmount != null || s.status === 'partially_paid') {
    const topUpSeen = (s.deposits ?? []).some((d) => d.topUp && d.status === 'confirming');
    return [
      ...(topUpSeen ? [] : [{ label: 'Send the rest — seen', input: { status: 'confirming', topUp: true } } satisfies Action]),
      { label: 'Send the rest — paid', input: { status: 'finished', topUp: true } },
      ...lapse,
    ];
  }
  if (s.status === 'confirming') return [{ label: 'Paid', input: { status: 'finished' } }, ...lapse];
  return [
    { label: 'Payment seen', input: { status: 'confirming' } },
    { label: 'Paid', input: { status: 'finished' } },
    { label: 'Underpaid', input: { status: 'partially_paid', actuallyPaid: new Big(due).div(2).toFixed(8) } },
    { label: 'Overpaid', input: { status: 'finished', actuallyPaid: new Big(due).times(1.1).toFixed(8) } },
    ...lapse,
  ];
}

/** Test mode only: drives the same signed IPN path a real provider would. */
export function SimulatePanel({ s }: { s: PaymentStatus }) {
  const simulate = useSimulatePayment();
  return (
    <section className="simulate" aria-labelledby="simulate-heading" data-testid="simulate-panel">
      <h2 id="simulate-heading" className="simulate-title">
        Simulate the payment <span className="pill pill-warning">Test mode</span>
      </h2>
      <p className="small muted">No real money moves. Each button sends the provider status through the real webhook.</p>
      <div className="simulate-actions">
        {actionsFor(s).map((a) => (
          <button
            key={a.label}
            type="button"
            className="btn btn-secondary btn-sm"
            disabled={simulate.isPending}
            onClick={() => simulate.mutate({ paymentId: s.paymentId, ...a.input })}
          >
            {a.label}
          </button>
        ))}
      </div>
      {simulate.isError && (
        <p className="field-error" role="alert">
          {simulate.error.message}
        </p>
      )}
    </section>
  );
}

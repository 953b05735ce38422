import { type SimulatedStatus, useSimulatePayment } from '../api/simulate-payment';

const actions: { status: SimulatedStatus; label: string }[] = [
  { status: 'confirming', label: 'Payment seen' },
  { status: 'finished', label: 'Paid' },
  { status: 'partially_paid', label: 'Underpaid' },
  { status: 'expired', label: 'Expire' },
  { status: 'failed', label: 'Fail' },
];

/** Test mode only: drives the same signed IPN path a real provider would. */
export function SimulatePanel({ paymentId, payAmount }: { paymentId: string; payAmount: number | string }) {
  const simulate = useSimulatePayment();
  return (
    <section className="simulate" aria-labelledby="simulate-heading" data-testid="simulate-panel">
      <h2 id="simulate-heading" className="simulate-title">
        Simulate the payment <span className="pill pill-warning">Test mode</span>
      </h2>
      <p className="small muted">No real money moves. Each button sends the provider status through the real webhook.</p>
      <div className="simulate-actions">
        {actions.map((a) => (
          <button
            key={a.status}
            type="button"
            className="btn btn-secondary btn-sm"
            disabled={simulate.isPending}
            onClick={() =>
              simulate.mutate({
                paymentId,
                status: a.status,
                ...(a.status === 'partially_paid' ? { actuallyPaid: (Number(payAmount) / 2).toFixed(8) } : {}),
              })
            }
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

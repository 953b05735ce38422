import type { Deposit } from '../../../../src/shared/api/payments';
import { RelativeTime } from '../../../components/relative-time';
import { formatCoinAmount } from '../../../lib/format';
import { SupportLink } from '../../../lib/support';
import type { PaymentStatus } from '../api/get-payment-status';
import { coinInfo } from '../lib/coins';

export const progress = [
  { key: 'waiting', label: 'Waiting for payment' },
  { key: 'confirming', label: 'Payment seen, confirming' },
  { key: 'paid', label: 'Paid — setting up your bot' },
  { key: 'ready', label: 'Ready' },
] as const;

export type Stage = (typeof progress)[number]['key'];

export function ProgressLine({ currentIndex, confirmed = false }: { currentIndex: number; confirmed?: boolean }) {
  const label = (i: number) => (progress[i]?.key === 'confirming' && confirmed ? 'Payment confirmed, finishing' : progress[i]?.label);
  return (
    <ol className="progress" aria-label="Payment progress">
      {progress.map((p, i) => (
        <li key={p.key} className={i < currentIndex ? 'done' : i === currentIndex ? 'current' : ''} aria-current={i === currentIndex ? 'step' : undefined}>
          {label(i)}
        </li>
      ))}
      <li className="sr-only" role="status" data-testid="payment-status-line">
        {label(currentIndex)}
      </li>
    </ol>
  );
}

const depositStep: Record<Deposit['status'], string | null> = {
  waiting: null,
  confirming: 'Seen on the chain, confirming',
  confirmed: 'Confirmed',
  sending: 'Confirmed',
  partially_paid: 'Received',
  finished: 'Received',
  failed: 'Failed',
  refunded: 'Refunded',
  expired: null,
};

/** Each transfer as it moves seen → confirmed → received: the buyer watches their coins land. */
export function DepositList({ s }: { s: PaymentStatus }) {
  const shown = (s.deposits ?? []).filter((d) => depositStep[d.status] !== null && d.amount !== null && Number(d.amount) > 0);
  if (shown.length === 0) return null;
  const code = coinInfo(s.payCurrency).code;
  return (
    <ul className="deposits" aria-label="Transfers received" data-testid="deposits">
      {shown.map((d) => (
        <li key={d.paymentId} data-testid="deposit" data-status={d.status}>
          <span>
            {formatCoinAmount(d.amount!, s.payCurrency)} {code}
            {d.topUp ? ' · top-up' : ''}
          </span>
          <span className={`pill ${d.status === 'confirming' ? 'pill-warning' : 'pill-success'}`}>{depositStep[d.status]}</span>
        </li>
      ))}
    </ul>
  );
}

/** More than the price arrived: the plan is activated as usual, the extra is recorded and refundable. */
export function OverpaidNotice({ s }: { s: PaymentStatus }) {
  if (!s.surplus || Number(s.surplus) <= 0) return null;
  const code = coinInfo(s.payCurrency).code;
  const order = s.orderNumber ? ` #${s.orderNumber}` : '';
  return (
    <p className="notice notice-info" data-testid="payment-overpaid">
      <strong>
        You sent {formatCoinAmount(s.surplus, s.payCurrency)} {code} more than the price.
      </strong>{' '}
      Your plan is activated as usual and the extra is recorded on order{order}. To get it back, contact{' '}
      <SupportLink subject={`Refund of overpayment${order ? ` — order${order}` : ''}`} /> with your order number and the address to refund.
    </p>
  );
}

/** The provider's own stages, as NOWPayments names them, in the words a buyer reads. */
const stageLabels: Partial<Record<Deposit['status'], string>> = {
  waiting: 'Waiting for your coins',
  confirming: 'Seen on the chain — confirming',
  confirmed: 'Confirmed by the network',
  sending: 'Being credited',
  partially_paid: 'Part of the amount received',
  finished: 'Received in full',
};
const stageOrder: Deposit['status'][] = ['waiting', 'confirming', 'confirmed', 'sending', 'finished'];

/**
 * Each stage the invoice reached, with when, as the page polls: the buyer sees the network
 * confirm their transfer. NOWPayments reports statuses, not a confirmation count, so none is
 * claimed. A stage the provider skipped (it may go straight to "finished") is marked passed.
 */
export function PaymentStages({ s, boxed = false }: { s: PaymentStatus; boxed?: boolean }) {
  const stages = s.stages ?? [];
  // Until coins are seen the progress line says all there is ("Waiting for payment").
  if (stages.length < 2) return null;
  const at = new Map(stages.map((st) => [st.status, st.at]));
  const partial = at.has('partially_paid') && !at.has('finished');
  const order = partial ? stageOrder.map((st) => (st === 'finished' ? 'partially_paid' : st)) : stageOrder;
  const lastReached = Math.max(...order.map((st, i) => (at.has(st) ? i : -1)));
  const list = (
    <ol className="pay-stages" aria-label="Payment stages" data-testid="payment-stages">
      {order.map((st, i) => {
        const when = at.get(st);
        const state = when ? 'reached' : i < lastReached ? 'passed' : i === lastReached + 1 ? 'next' : 'ahead';
        return (
          <li key={st} className={`pay-stage ${state}`} data-stage={st} data-state={state}>
            <span className="pay-stage-label">{stageLabels[st]}</span>
            {when && (
              <span className="pay-stage-time muted small">
                <RelativeTime value={when} direction="past" />
              </span>
            )}
          </li>
        );
      })}
    </ol>
  );
  // On its own (beside the ready panel) it needs its own card and heading.
  return boxed ? (
    <section className="card pay-stages-card" aria-labelledby="pay-stages-heading">
      <h2 id="pay-stages-heading" className="small muted">
        Your payment
      </h2>
      {list}
    </section>
  ) : (
    list
  );
}

import type { Deposit } from '../../../../src/shared/api/payments';
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

import { exactDate, exactTime, formatUsd } from '../../../lib/format';
import { useResellerPayouts } from '../api/get-reseller-payouts';
import { SectionState } from './section-state';

export function PayoutsList() {
  const payouts = useResellerPayouts();
  const list = payouts.data ?? [];
  return (
    <SectionState
      title="Payouts"
      id="payouts-heading"
      isPending={payouts.isPending}
      error={payouts.error}
      onRetry={() => void payouts.refetch()}
      isEmpty={list.length === 0}
      empty="No payouts yet. When HQAdz pays out your due balance, each payment is listed here."
    >
      <ul className="payouts" data-testid="reseller-payouts">
        {list.map((p, i) => (
          <li key={`${p.createdAt}-${i}`}>
            <div>
              <strong>{formatUsd(p.amountUsd)}</strong>
              {p.note && <span className="small muted block">{p.note}</span>}
            </div>
            <span className="small muted" title={exactTime(p.createdAt)}>
              {exactDate(p.createdAt)}
            </span>
          </li>
        ))}
      </ul>
    </SectionState>
  );
}

import { exactTime, formatUsd, relativeTime } from '../../../lib/format';
import { useNow } from '../../../lib/use-now';
import { useResellerCustomers } from '../api/get-reseller-customers';
import { SectionState } from './section-state';

const planInfo = {
  active: { label: 'Active', cls: 'pill-success' },
  expired: { label: 'Expired', cls: 'pill-warning' },
  inactive: { label: 'No plan', cls: '' },
} as const;

export function CustomersTable() {
  const customers = useResellerCustomers();
  const now = useNow(60_000);
  const list = customers.data ?? [];
  return (
    <SectionState
      title="Customers"
      id="customers-heading"
      isPending={customers.isPending}
      error={customers.error}
      onRetry={() => void customers.refetch()}
      isEmpty={list.length === 0}
      empty="No customers yet. Share your link: everyone who checks out through it appears here."
    >
      <div className="table-wrap">
        <table className="table stack-table" data-testid="reseller-customers">
          <thead>
            <tr>
              <th scope="col">Customer</th>
              <th scope="col">Plan</th>
              <th scope="col" className="num">Paid orders</th>
              <th scope="col" className="num">Spent</th>
              <th scope="col">First order</th>
            </tr>
          </thead>
          <tbody>
            {list.map((c, i) => {
              const p = planInfo[c.planStatus];
              return (
                <tr key={`${c.email}-${i}`}>
                  <td data-label="Customer">{c.email ?? '—'}</td>
                  <td data-label="Plan">
                    <span className={`pill ${p.cls}`}>{p.label}</span>
                  </td>
                  <td data-label="Paid orders" className="num">{c.orders}</td>
                  <td data-label="Spent" className="num">{formatUsd(c.spentUsd)}</td>
                  <td data-label="First order">
                    {c.firstOrderAt ? <span title={exactTime(c.firstOrderAt)}>{relativeTime(c.firstOrderAt, now)}</span> : <span className="muted">—</span>}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </SectionState>
  );
}

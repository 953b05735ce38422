import { useState } from 'react';
import { RelativeTime } from '../../../components/relative-time';
import { formatUsd } from '../../../lib/format';
import { useResellerCustomers } from '../api/get-reseller-customers';
import { SectionState } from './section-state';
import { RESELLER_PAGE_SIZE, TablePager } from './table-pager';

const planInfo = {
  active: { label: 'Active', cls: 'pill-success' },
  expired: { label: 'Expired', cls: 'pill-warning' },
  inactive: { label: 'No plan', cls: '' },
} as const;

export function CustomersTable() {
  const [offset, setOffset] = useState(0);
  const customers = useResellerCustomers({ limit: RESELLER_PAGE_SIZE, offset });
  const list = customers.data?.customers ?? [];
  const total = customers.data?.total ?? 0;
  return (
    <SectionState
      title="Customers"
      id="customers-heading"
      isPending={customers.isPending}
      error={customers.error}
      onRetry={() => void customers.refetch()}
      isEmpty={total === 0}
      empty="No customers yet. Share your link: everyone who checks out through it appears here."
    >
      <div className="table-wrap">
        <table className="table stack-table" data-testid="reseller-customers">
          <thead>
            <tr>
              <th scope="col">Customer</th>
              <th scope="col">Plan</th>
              <th scope="col" className="num">
                Paid orders
              </th>
              <th scope="col" className="num">
                Spent
              </th>
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
                    {c.planName && c.planStatus !== 'inactive' ? (
                      <>
                        <span data-testid="customer-plan">{c.planName}</span> <span className={`pill ${p.cls}`}>{p.label}</span>
                      </>
                    ) : (
                      <span className={`pill ${p.cls}`}>{p.label}</span>
                    )}
                  </td>
                  <td data-label="Paid orders" className="num">
                    {c.orders}
                  </td>
                  <td data-label="Spent" className="num">
                    {formatUsd(c.spentUsd)}
                  </td>
                  <td data-label="First order">
                    {c.firstOrderAt ? <RelativeTime value={c.firstOrderAt} direction="past" /> : <span className="muted">—</span>}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <TablePager label="Customers" offset={offset} shown={list.length} total={total} onChange={setOffset} />
    </SectionState>
  );
}

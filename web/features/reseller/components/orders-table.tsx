import { useState } from 'react';
import { RelativeTime } from '../../../components/relative-time';
import { formatUsd } from '../../../lib/format';
import { useResellerOrders } from '../api/get-reseller-orders';
import { SectionState } from './section-state';
import { RESELLER_PAGE_SIZE, TablePager } from './table-pager';

const statusInfo: Record<string, { label: string; cls: string }> = {
  pending: { label: 'Awaiting payment', cls: '' },
  partially_paid: { label: 'Underpaid', cls: 'pill-warning' },
  paid: { label: 'Paid, setting up', cls: 'pill-warning' },
  fulfilled: { label: 'Completed', cls: 'pill-success' },
  expired: { label: 'Not paid', cls: '' },
  failed: { label: 'Failed', cls: 'pill-danger' },
  refunded: { label: 'Refunded', cls: 'pill-danger' },
};

export function OrdersTable() {
  const [offset, setOffset] = useState(0);
  const orders = useResellerOrders({ limit: RESELLER_PAGE_SIZE, offset });
  const list = orders.data?.orders ?? [];
  const total = orders.data?.total ?? 0;
  return (
    <SectionState
      title="Orders"
      id="orders-heading"
      isPending={orders.isPending}
      error={orders.error}
      onRetry={() => void orders.refetch()}
      isEmpty={total === 0}
      empty="No orders yet. Orders placed through your link show up here as soon as checkout starts."
    >
      <div className="table-wrap">
        <table className="table stack-table" data-testid="reseller-orders">
          <thead>
            <tr>
              <th scope="col">Order</th>
              <th scope="col">Customer</th>
              <th scope="col">Plan</th>
              <th scope="col" className="num">
                Price
              </th>
              <th scope="col" className="num">
                Commission
              </th>
              <th scope="col">Status</th>
              <th scope="col">Placed</th>
            </tr>
          </thead>
          <tbody>
            {list.map((o) => {
              const s = statusInfo[o.status] ?? { label: o.status, cls: '' };
              return (
                <tr key={o.orderNumber}>
                  <td data-label="Order">
                    <span className="mono">#{o.orderNumber}</span>
                  </td>
                  <td data-label="Customer">{o.customerEmail ?? '—'}</td>
                  <td data-label="Plan">{o.planName}</td>
                  <td data-label="Price" className="num">
                    {formatUsd(o.priceUsd)}
                  </td>
                  <td data-label="Commission" className="num">
                    {o.commissionUsd === null ? (
                      <span className="muted" title="Booked when the order is paid and set up">
                        —
                      </span>
                    ) : o.status === 'refunded' ? (
                      <span className="muted" title="The order was refunded, so its commission was reversed">
                        {formatUsd(0)} · refunded
                      </span>
                    ) : (
                      <strong>{formatUsd(o.commissionUsd)}</strong>
                    )}
                  </td>
                  <td data-label="Status">
                    <span className={`pill ${s.cls}`}>{s.label}</span>
                  </td>
                  <td data-label="Placed">
                    <RelativeTime value={o.createdAt} direction="past" />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <TablePager label="Orders" offset={offset} shown={list.length} total={total} onChange={setOffset} />
    </SectionState>
  );
}

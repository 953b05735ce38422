import { useState } from 'react';
import { Link, Navigate } from 'react-router';
import { Layout } from '../../../components/layout';
import { RelativeTime } from '../../../components/relative-time';
import { ApiError } from '../../../lib/api-client';
import { formatCoinAmount, formatUsd } from '../../../lib/format';
import { usePageTitle } from '../../../lib/use-page-title';
import { useMe } from '../../auth/api/get-me';
import { SectionState } from '../../reseller/components/section-state';
import { TablePager } from '../../reseller/components/table-pager';
import { type CustomerOrder, useOrders } from '../api/get-orders';
import { orderStatus } from '../lib/order-status';
import { CustomerNav } from './customer-nav';

const PAGE_SIZE = 25;
const kindLabel = { new: 'New plan', renewal: 'Renewal', upgrade: 'Plan change' } as const;

function PaidIn({ o }: { o: CustomerOrder }) {
  const { payCurrency, due, received } = o.amounts;
  const coin = payCurrency.toUpperCase();
  if (!due) return <span className="muted">{coin}</span>;
  // Before the money is in, what is due matters; after, what arrived (top-ups included).
  if (received === '0') return <span>{`${formatCoinAmount(due, payCurrency)} ${coin}`}</span>;
  return (
    <span title={`Invoice: ${formatCoinAmount(due, payCurrency)} ${coin}`}>
      {`${formatCoinAmount(received, payCurrency)} ${coin}`}
      {o.amounts.surplus && <span className="muted small block">{`+${formatCoinAmount(o.amounts.surplus, payCurrency)} above the invoice`}</span>}
    </span>
  );
}

function OrderRow({ o }: { o: CustomerOrder }) {
  const s = orderStatus(o.status);
  return (
    <tr data-testid={`order-${o.orderNumber}`}>
      <td data-label="Order">
        <span className="mono">#{o.orderNumber}</span>
      </td>
      <td data-label="Plan">
        {o.planName}
        <span className="muted small block">{o.creditedDays !== null ? `${o.creditedDays} days credited` : kindLabel[o.kind]}</span>
      </td>
      <td data-label="Amount" className="num">
        {formatUsd(o.priceUsd)}
      </td>
      <td data-label="Paid in" className="num">
        <PaidIn o={o} />
      </td>
      <td data-label="Status">
        <span className={`pill ${s.cls}`}>{s.label}</span>
      </td>
      <td data-label="Date">
        <RelativeTime value={o.paidAt ?? o.createdAt} direction="past" />
      </td>
      <td data-label="Receipt">
        {o.hasReceipt ? (
          <Link to={`/dashboard/orders/${o.orderNumber}`} aria-label={`Receipt for order #${o.orderNumber}`}>
            Receipt
          </Link>
        ) : (
          <span className="muted" title="A receipt exists once the payment arrives">
            —
          </span>
        )}
      </td>
    </tr>
  );
}

export function OrdersPage() {
  usePageTitle('Orders');
  const me = useMe();
  const [offset, setOffset] = useState(0);
  const orders = useOrders({ limit: PAGE_SIZE, offset });
  if ((me.isSuccess && me.data === null) || (orders.error instanceof ApiError && orders.error.code === 'unauthorized')) {
    return <Navigate to="/login" replace />;
  }
  const list = orders.data?.orders ?? [];
  const total = orders.data?.total ?? 0;
  return (
    <Layout nav={<CustomerNav />}>
      <div className="dashboard">
        <SectionState
          title="Orders"
          id="orders-heading"
          isPending={orders.isPending}
          error={orders.error}
          onRetry={() => void orders.refetch()}
          isEmpty={total === 0}
          empty={
            <>
              No orders yet. <Link to="/">See the plans</Link>
            </>
          }
        >
          <div className="table-wrap">
            <table className="table stack-table" data-testid="customer-orders">
              <thead>
                <tr>
                  <th scope="col">Order</th>
                  <th scope="col">Plan</th>
                  <th scope="col" className="num">
                    Amount
                  </th>
                  <th scope="col" className="num">
                    Paid in
                  </th>
                  <th scope="col">Status</th>
                  <th scope="col">Date</th>
                  <th scope="col">Receipt</th>
                </tr>
              </thead>
              <tbody>
                {list.map((o) => (
                  <OrderRow key={o.orderNumber} o={o} />
                ))}
              </tbody>
            </table>
          </div>
          <TablePager label="Orders" offset={offset} shown={list.length} total={total} pageSize={PAGE_SIZE} onChange={setOffset} />
        </SectionState>
      </div>
    </Layout>
  );
}

import { useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { ordersSchema } from '../../../../src/shared/api/admin';
import { formatUsd } from '../../../lib/format';
import { qs, useAdminQuery } from '../api/admin-fetch';
import { coinLabel, paymentSummary, refundDue, statusLabel } from '../lib/labels';
import { Empty, PAGE_SIZE, Pager, Pill, QueryState, SortHeader, type SortState, sortParam, Time, useDebounced } from './admin-ui';

const statuses = ['pending', 'partially_paid', 'paid', 'fulfilled', 'expired', 'failed', 'refunded'];

/** `?sort=-price` back into a sort, ignoring anything the table cannot sort by. */
function sortFromParam(value: string | null): SortState {
  const m = /^(-?)(number|customer|price|status|created)$/.exec(value ?? '');
  return m ? { field: m[2]!, dir: m[1] ? 'desc' : 'asc' } : null;
}

export function OrdersScreen() {
  // Filters, sort and page live in the URL too: back from an order, or a shared link, shows
  // the same list. A customer link lands here as ?email=…, filtered to that customer.
  const [params, setParams] = useSearchParams();
  const [status, setStatus] = useState(() => (statuses.includes(params.get('status') ?? '') ? params.get('status')! : ''));
  const [email, setEmail] = useState(() => params.get('email') ?? '');
  const [offset, setOffset] = useState(() => Math.max(0, Math.floor(Number(params.get('offset')) || 0)));
  const [sort, setSort] = useState<SortState>(() => sortFromParam(params.get('sort')));
  const search = useDebounced(email.trim());
  const sortBy = sortParam(sort);
  useEffect(() => {
    const next = new URLSearchParams();
    if (status) next.set('status', status);
    if (search) next.set('email', search);
    if (sortBy) next.set('sort', sortBy);
    if (offset) next.set('offset', String(offset));
    if (next.toString() !== params.toString()) setParams(next, { replace: true });
  }, [status, search, sortBy, offset, params, setParams]);
  const q = useAdminQuery(
    ['orders', status, search, sortBy, offset],
    `/api/admin/orders${qs({ status, email: search, sort: sortBy, limit: PAGE_SIZE, offset })}`,
    ordersSchema,
  );
  const onSort = (next: SortState) => {
    setSort(next);
    setOffset(0);
  };

  return (
    <section aria-labelledby="orders-heading">
      <h1 id="orders-heading">Orders</h1>
      <div className="filters">
        <div className="field">
          <label htmlFor="order-status">Status</label>
          <select
            id="order-status"
            value={status}
            onChange={(e) => {
              setStatus(e.target.value);
              setOffset(0);
            }}
          >
            <option value="">{sort ? 'All' : 'All (needing attention first)'}</option>
            {statuses.map((s) => (
              <option key={s} value={s}>
                {statusLabel(s)}
              </option>
            ))}
          </select>
        </div>
        <div className="field grow">
          <label htmlFor="order-email">Customer email</label>
          <input
            id="order-email"
            type="search"
            placeholder="Search by email"
            value={email}
            onChange={(e) => {
              setEmail(e.target.value);
              setOffset(0);
            }}
          />
        </div>
      </div>
      <div className="card">
        <QueryState query={q}>
          {q.data && q.data.orders.length === 0 ? (
            <Empty>{status || search ? 'No orders match these filters.' : 'No orders yet.'}</Empty>
          ) : (
            <div className="table-wrap">
              <table className="table" data-testid="orders-table" aria-busy={q.isPlaceholderData}>
                <thead>
                  <tr>
                    <SortHeader field="number" label="Order" sort={sort} onSort={onSort} firstDir="desc" />
                    <SortHeader field="customer" label="Customer" sort={sort} onSort={onSort} />
                    <SortHeader field="price" label="Plan" sortsBy="price" sort={sort} onSort={onSort} firstDir="desc" />
                    <SortHeader field="status" label="Status" sort={sort} onSort={onSort} />
                    <th>Payment</th>
                    <SortHeader field="created" label="Created" sort={sort} onSort={onSort} firstDir="desc" />
                  </tr>
                </thead>
                <tbody>
                  {q.data?.orders.map((o) => (
                    <tr key={o.id} className={o.attention ? 'row-attention' : undefined}>
                      <td>
                        <Link to={`/admin/orders/${o.id}`}>#{o.orderNumber}</Link>
                      </td>
                      <td className="cell-email">
                        {o.email ? (
                          <Link
                            to={`/admin/orders?email=${encodeURIComponent(o.email)}`}
                            title={`${o.email} — show this customer's orders`}
                            onClick={() => {
                              setEmail(o.email ?? '');
                              setOffset(0);
                            }}
                          >
                            {o.email}
                          </Link>
                        ) : (
                          '—'
                        )}
                        {o.resellerCode && (
                          <span className="block muted small" data-testid="order-reseller">
                            via reseller <span className="mono">{o.resellerCode}</span>
                          </span>
                        )}
                      </td>
                      <td>
                        {o.planName}{' '}
                        <span className="muted small">
                          · {formatUsd(o.priceUsd)} · {o.kind}
                        </span>
                      </td>
                      <td>
                        <Pill value={o.status} /> {o.attention && <Pill value={o.attention} />}
                      </td>
                      <td>
                        {o.paymentStatus ? <Pill value={o.paymentStatus} /> : '—'}
                        <span
                          className={`block small ${refundDue({ ...o, status: o.paymentStatus }) ? 'refund-due' : 'muted'}`}
                          data-testid="order-payment-summary"
                        >
                          {o.paymentStatus ? paymentSummary({ ...o, status: o.paymentStatus }) : coinLabel(o.payCurrency)}
                        </span>
                      </td>
                      <td>
                        <Time value={o.createdAt} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {q.data && <Pager offset={offset} total={q.data.total} busy={q.isPlaceholderData} onChange={setOffset} />}
        </QueryState>
      </div>
    </section>
  );
}

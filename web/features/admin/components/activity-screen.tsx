import { useState } from 'react';
import { Link } from 'react-router';
import { activitySchema } from '../../../../src/shared/api/admin';
import { qs, useAdminQuery } from '../api/admin-fetch';
import { Empty, PAGE_SIZE, Pager, QueryState, Time, useDebounced } from './admin-ui';

type Subject = { subjectType: string | null; subjectId: string | null; subjectLabel?: string | null | undefined; subjectEmail?: string | null | undefined };

/** The subject as a person knows it: an order number, an email, a bot or plan name. */
function subjectLink({ subjectType: type, subjectId: id, subjectLabel: label, subjectEmail: email }: Subject) {
  if (!type || !id) return <span className="muted">—</span>;
  const customer = email ? (
    <Link to={`/admin/customers?q=${encodeURIComponent(email)}`} title={email}>
      {email}
    </Link>
  ) : null;
  if (type === 'order') {
    return (
      <>
        <Link to={`/admin/orders/${id}`}>{label ?? `order ${id.slice(0, 8)}`}</Link>
        {customer && <span className="block small">{customer}</span>}
      </>
    );
  }
  if (type === 'user') return customer ?? <Link to={`/admin/customers?q=${id}`}>customer {id.slice(0, 8)}</Link>;
  if (type === 'adbot') return customer ? <>bot of {customer}</> : <span className="mono small">bot {id.slice(0, 8)}</span>;
  if (type === 'reseller')
    return (
      <>
        reseller <span className="mono">{label ?? id.slice(0, 8)}</span>
        {customer && <span className="block small">{customer}</span>}
      </>
    );
  if (type === 'plan') return <Link to="/admin/plans">{label ? `plan ${label}` : `plan ${id.slice(0, 8)}`}</Link>;
  if (type === 'sender') return <Link to="/admin/stock">{label ?? `sender ${id.slice(0, 8)}`}</Link>;
  return (
    <span className="mono small">
      {type} {label ?? id.slice(0, 8)}
    </span>
  );
}

export function ActivityScreen() {
  const [action, setAction] = useState('');
  const [offset, setOffset] = useState(0);
  const filter = useDebounced(action.trim());
  const q = useAdminQuery(['activity', filter, offset], `/api/admin/activity${qs({ action: filter, limit: PAGE_SIZE, offset })}`, activitySchema);

  return (
    <section aria-labelledby="activity-heading">
      <h1 id="activity-heading">Activity log</h1>
      <div className="filters">
        <div className="field grow">
          <label htmlFor="activity-action">Action starts with</label>
          <input
            id="activity-action"
            type="search"
            placeholder="e.g. plan. or payment."
            value={action}
            onChange={(e) => {
              setAction(e.target.value);
              setOffset(0);
            }}
          />
        </div>
      </div>
      <div className="card">
        <QueryState query={q}>
          {q.data && q.data.entries.length === 0 ? (
            <Empty>Nothing logged{filter ? ` for "${filter}"` : ' yet'}.</Empty>
          ) : (
            <div className="table-wrap">
              <table className="table" data-testid="activity-table" aria-busy={q.isPlaceholderData}>
                <thead>
                  <tr>
                    <th>When</th>
                    <th>Who</th>
                    <th>Action</th>
                    <th>Subject</th>
                    <th>Details</th>
                  </tr>
                </thead>
                <tbody>
                  {q.data?.entries.map((e) => (
                    <tr key={e.id}>
                      <td>
                        <Time value={e.createdAt} />
                      </td>
                      <td className="cell-email">
                        {e.actorEmail ? (
                          <span className="email-text" title={e.actorEmail}>
                            {e.actorEmail}
                          </span>
                        ) : (
                          e.actorRole
                        )}
                      </td>
                      <td className="mono small">{e.action}</td>
                      <td className="cell-email" data-testid="activity-subject">
                        {subjectLink(e)}
                      </td>
                      <td>
                        {e.details ? (
                          <details>
                            <summary className="small">Show</summary>
                            <pre className="details-json">{JSON.stringify(e.details, null, 2)}</pre>
                          </details>
                        ) : (
                          '—'
                        )}
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

import { useState } from 'react';
import { Link } from 'react-router';
import { qs, useAdminQuery } from '../api/admin-fetch';
import { activitySchema } from '../api/schemas';
import { Empty, PAGE_SIZE, Pager, QueryState, Time, useDebounced } from './admin-ui';

function subjectLink(type: string | null, id: string | null) {
  if (!type || !id) return <span className="muted">—</span>;
  if (type === 'order') return <Link to={`/admin/orders/${id}`}>order {id.slice(0, 8)}</Link>;
  if (type === 'user') return <Link to={`/admin/customers?q=${id}`}>user {id.slice(0, 8)}</Link>;
  return <span className="mono small">{type} {id.slice(0, 8)}</span>;
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
          <input id="activity-action" type="search" placeholder="e.g. plan. or payment." value={action} onChange={(e) => { setAction(e.target.value); setOffset(0); }} />
        </div>
      </div>
      <div className="card">
        <QueryState query={q}>
          {q.data && q.data.entries.length === 0 ? (
            <Empty>Nothing logged{filter ? ` for "${filter}"` : ' yet'}.</Empty>
          ) : (
            <div className="table-wrap">
              <table className="table" data-testid="activity-table">
                <thead>
                  <tr><th>When</th><th>Who</th><th>Action</th><th>Subject</th><th>Details</th></tr>
                </thead>
                <tbody>
                  {q.data?.entries.map((e) => (
                    <tr key={e.id}>
                      <td><Time value={e.createdAt} /></td>
                      <td>{e.actorEmail ?? e.actorRole}</td>
                      <td className="mono small">{e.action}</td>
                      <td>{subjectLink(e.subjectType, e.subjectId)}</td>
                      <td>
                        {e.details ? (
                          <details>
                            <summary className="small">Show</summary>
                            <pre className="details-json">{JSON.stringify(e.details, null, 2)}</pre>
                          </details>
                        ) : '—'}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {q.data && <Pager offset={offset} total={q.data.total} onChange={setOffset} />}
        </QueryState>
      </div>
    </section>
  );
}

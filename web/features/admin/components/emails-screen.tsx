import { useState } from 'react';
import { Link } from 'react-router';
import { emailsSchema } from '../../../../src/shared/api/admin';
import { qs, useAdminQuery } from '../api/admin-fetch';
import { Empty, PAGE_SIZE, Pager, Pill, QueryState, Time } from './admin-ui';

export function EmailsScreen() {
  const [status, setStatus] = useState('');
  const [offset, setOffset] = useState(0);
  const q = useAdminQuery(['emails', status, offset], `/api/admin/emails${qs({ status, limit: PAGE_SIZE, offset })}`, emailsSchema);

  return (
    <section aria-labelledby="emails-heading">
      <h1 id="emails-heading">Emails</h1>
      <p className="muted small">
        Without SMTP configured, emails stay here in the outbox: open one to read it. Access codes and license keys show masked (••••): only the customer's copy
        holds them. To give a customer a working code, rotate it under <Link to="/admin/customers">Customers &amp; bots</Link>.
      </p>
      <div className="filters">
        <div className="field">
          <label htmlFor="email-status">Status</label>
          <select
            id="email-status"
            value={status}
            onChange={(e) => {
              setStatus(e.target.value);
              setOffset(0);
            }}
          >
            <option value="">All</option>
            <option value="outbox">outbox</option>
            <option value="queued">queued</option>
            <option value="sent">sent</option>
            <option value="failed">failed</option>
          </select>
        </div>
      </div>
      <div className="card">
        <QueryState query={q}>
          {q.data && q.data.emails.length === 0 ? (
            <Empty>No emails{status ? ` with status ${status}` : ' yet'}.</Empty>
          ) : (
            <ul className="mail-list" data-testid="emails" aria-busy={q.isPlaceholderData}>
              {q.data?.emails.map((m) => (
                <li key={m.id}>
                  <details>
                    <summary>
                      <span className="mail-subject">{m.subject}</span>
                      <span className="muted small">
                        to{' '}
                        <span className="email-text" title={m.to}>
                          {m.to}
                        </span>
                      </span>
                      <span className="mail-meta">
                        <Pill value={m.status} /> <Time value={m.sentAt ?? m.createdAt} />
                      </span>
                    </summary>
                    {m.error && <p className="notice notice-error">{m.error}</p>}
                    <pre className="mail-body">{m.body}</pre>
                  </details>
                </li>
              ))}
            </ul>
          )}
          {q.data && <Pager offset={offset} total={q.data.total} busy={q.isPlaceholderData} onChange={setOffset} />}
        </QueryState>
      </div>
    </section>
  );
}

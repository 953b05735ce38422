import { RelativeTime } from '../../../components/relative-time';
import { exactTime } from '../../../lib/format';
import type { Delivery } from '../api/get-deliveries';
import { resultLabel } from '../lib/result-label';

function DeliveryRow({ d }: { d: Delivery }) {
  const r = resultLabel[d.result];
  const chatName = d.chatTitle && d.chatTitle !== d.chatRef ? d.chatTitle : d.chatRef;
  return (
    <tr data-testid="delivery-row">
      <td data-label="Time">
        <span>
          <RelativeTime value={d.at} direction="past" />
          <span className="muted small block">
            {exactTime(d.at)}
            {d.dueAt && (
              <span data-testid="delivery-due">
                {' '}
                · due <time dateTime={new Date(d.dueAt).toISOString()}>{exactTime(d.dueAt)}</time>
              </span>
            )}
          </span>
        </span>
      </td>
      <td data-label="Chat">
        <span>
          <span className="chat-title">{chatName}</span>
          {chatName !== d.chatRef && <span className="muted small block mono">{d.chatRef}</span>}
        </span>
      </td>
      <td data-label="Bot">{d.botUsername ? <span className="mono small">@{d.botUsername}</span> : <span className="muted">—</span>}</td>
      <td data-label="Result">
        <span>
          <span className={`pill ${r.cls}`} title={r.hint}>
            {r.label}
          </span>
          {d.error && <span className="small block log-error">{d.error}</span>}
        </span>
      </td>
      <td data-label="Message">
        {d.url ? (
          <a href={d.url} target="_blank" rel="noopener noreferrer" aria-label={`Open the message in ${chatName} on Telegram`}>
            Open in Telegram
          </a>
        ) : (
          <span className="muted" title={d.result === 'sent' ? 'Telegram gives no link to messages in private groups' : undefined}>
            —
          </span>
        )}
      </td>
    </tr>
  );
}

/** The log's rows: a table on wide screens, one card per post on a phone (stack-table). */
export function DeliveryTable({ rows, busy }: { rows: Delivery[]; busy: boolean }) {
  return (
    <div className="table-wrap">
      <table className="table stack-table" data-testid="delivery-log" aria-busy={busy}>
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Chat</th>
            <th scope="col">Bot</th>
            <th scope="col">Result</th>
            <th scope="col">Message</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((d) => (
            <DeliveryRow key={d.id} d={d} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

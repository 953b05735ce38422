import type { Bot } from '../api/get-bot';

export function SendersList({ senders }: { senders: Bot['senders'] }) {
  if (senders.length === 0) {
    return <p className="empty">Your bots are being assigned. They appear here in a moment.</p>;
  }
  return (
    <ul className="senders" data-testid="senders">
      {senders.map((s) => (
        <li key={s.id} className="sender">
          <div className="sender-name">
            <span className="mono">@{s.username ?? 'pending'}</span>
            {s.state !== 'assigned' && <span className="pill pill-warning">{s.state === 'frozen' ? 'Paused by Telegram' : s.state}</span>}
          </div>
          {s.username && (
            <div className="sender-links">
              <a className="btn btn-secondary btn-sm" href={`https://t.me/${s.username}?startgroup=hqadz`} target="_blank" rel="noreferrer">
                Add to group
              </a>
              <a
                className="btn btn-secondary btn-sm"
                href={`https://t.me/${s.username}?startchannel=hqadz&admin=post_messages`}
                target="_blank"
                rel="noreferrer"
              >
                Add to channel
              </a>
            </div>
          )}
        </li>
      ))}
    </ul>
  );
}

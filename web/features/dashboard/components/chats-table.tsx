import { exactTime, relativeTime } from '../../../lib/format';
import { useNow } from '../../../lib/use-now';
import type { Bot, Chat } from '../api/get-bot';

function statusInfo(c: Chat, botNames: string): { label: string; cls: string; fix?: string } {
  switch (c.status) {
    case 'ok':
      return { label: 'Posting', cls: 'pill-success' };
    case 'pending':
      return { label: 'Checking', cls: '', fix: 'We check access before the first post.' };
    case 'no_access':
      return {
        label: 'No access',
        cls: 'pill-danger',
        fix: `The bot is not a member or cannot post — add ${botNames} to the chat (as an admin in channels), then save again to re-check.`,
      };
    case 'not_found':
      return { label: 'Not found', cls: 'pill-danger', fix: 'Telegram has no chat with this name. Check the spelling or use its t.me link.' };
    default:
      return { label: 'Error', cls: 'pill-warning', fix: 'Posting failed; we retry on the next slot.' };
  }
}

export function ChatsTable({ bot }: { bot: Bot }) {
  const now = useNow(30_000);
  const botNames = bot.senders.map((s) => (s.username ? `@${s.username}` : null)).filter(Boolean).join(' or ') || 'your bot';
  if (bot.chats.length === 0) {
    return (
      <section className="card" aria-labelledby="chats-heading">
        <h2 id="chats-heading">Chats</h2>
        <p className="empty">No chats yet. List your groups and channels under Target chats above and save.</p>
      </section>
    );
  }
  return (
    <section className="card" aria-labelledby="chats-heading">
      <h2 id="chats-heading">Chats</h2>
      <div className="table-wrap">
        <table className="table" data-testid="chats-table">
          <thead>
            <tr>
              <th scope="col">Chat</th>
              <th scope="col">Status</th>
              <th scope="col">Last post</th>
              <th scope="col">Next post</th>
            </tr>
          </thead>
          <tbody>
            {bot.chats.map((c) => {
              const s = statusInfo(c, botNames);
              const next =
                bot.status === 'running' && c.status === 'ok'
                  ? c.lastPostAt
                    ? new Date(new Date(c.lastPostAt).getTime() + bot.postingIntervalSeconds * 1000)
                    : null
                  : undefined;
              return (
                <tr key={c.ref}>
                  <td>
                    <span className="chat-title">{c.title ?? c.ref}</span>
                    {c.title && <span className="muted small mono block">{c.ref}</span>}
                  </td>
                  <td>
                    <span className={`pill ${s.cls}`}>{s.label}</span>
                    {(c.lastError || s.fix) && c.status !== 'ok' && (
                      <span className="small muted block">
                        {c.lastError ? `${c.lastError}. ` : ''}
                        {s.fix}
                      </span>
                    )}
                  </td>
                  <td>
                    {c.lastPostAt ? (
                      c.lastPostUrl ? (
                        <a href={c.lastPostUrl} target="_blank" rel="noreferrer" title={exactTime(c.lastPostAt)}>
                          {relativeTime(c.lastPostAt, now)}
                        </a>
                      ) : (
                        <span title={exactTime(c.lastPostAt)}>{relativeTime(c.lastPostAt, now)}</span>
                      )
                    ) : (
                      <span className="muted">Not yet</span>
                    )}
                  </td>
                  <td>
                    {next === undefined ? (
                      <span className="muted">—</span>
                    ) : next === null ? (
                      'Soon'
                    ) : (
                      <span title={exactTime(next)}>{next.getTime() <= now ? 'Due now' : relativeTime(next, now)}</span>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}

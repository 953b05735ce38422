import { customerAdbotSchema } from '../../../../src/shared/api/admin';
import { postSchema } from '../../dashboard/api/get-bot';
import { TelegramPreview } from '../../dashboard/components/telegram-preview';
import { useAdminQuery } from '../api/admin-fetch';
import { statusLabel } from '../lib/labels';
import { Empty, Pill, QueryState, Time } from './admin-ui';

/** A customer's ad, chats and latest posts, read only: what moderation and support look at. */
export function CustomerAdbotDetail({ customerId, who }: { customerId: string; who: string }) {
  const q = useAdminQuery(['customer-adbot', customerId], `/api/admin/customers/${customerId}/adbot`, customerAdbotSchema);
  const d = q.data;
  // The ad travels as stored; the preview shows it when it has the shape the dashboard edits.
  const post = postSchema
    .nullable()
    .catch(null)
    .parse(d?.adbot.post ?? null);
  return (
    <section className="adbot-detail admin-stack" aria-label={`${who}'s ad, chats and posts`} data-testid="adbot-detail">
      <QueryState query={q}>
        {d && (
          <>
            <div>
              <h3>Ad</h3>
              <TelegramPreview post={post} botName={d.adbot.senders[0] ? `@${d.adbot.senders[0].username}` : 'Sender bot'} />
            </div>
            <div>
              <h3>Chats ({d.adbot.chats.length})</h3>
              {d.adbot.chats.length === 0 ? (
                <Empty>No chats listed yet.</Empty>
              ) : (
                <div className="table-wrap">
                  <table className="table" data-testid="adbot-chats">
                    <thead>
                      <tr>
                        <th>Chat</th>
                        <th>Status</th>
                        <th>Sender</th>
                        <th>Last post</th>
                      </tr>
                    </thead>
                    <tbody>
                      {d.adbot.chats.map((c) => (
                        <tr key={c.ref}>
                          <td className="cell-wrap">
                            {c.title ?? c.ref}
                            {c.title && <span className="block muted small mono">{c.ref}</span>}
                          </td>
                          <td>
                            <Pill value={c.status} />
                            {c.lastError && <span className="block muted small cell-wrap">{c.lastError}</span>}
                          </td>
                          <td className="small">{c.senderUsername ? `@${c.senderUsername}` : '—'}</td>
                          <td>{c.lastPostAt ? <Time value={c.lastPostAt} /> : '—'}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              )}
            </div>
            <div>
              <h3>Latest posts{d.recentPosts.length > 0 ? ` (last ${d.recentPosts.length})` : ''}</h3>
              {d.recentPosts.length === 0 ? (
                <Empty>No posts yet.</Empty>
              ) : (
                <div className="table-wrap">
                  <table className="table" data-testid="adbot-posts">
                    <thead>
                      <tr>
                        <th>When</th>
                        <th>Chat</th>
                        <th>Result</th>
                      </tr>
                    </thead>
                    <tbody>
                      {d.recentPosts.map((p) => (
                        <tr key={p.id}>
                          <td>
                            <Time value={p.createdAt} />
                          </td>
                          <td className="cell-wrap">
                            {p.chatTitle ?? p.chatRef}
                            {p.senderUsername && <span className="block muted small">via @{p.senderUsername}</span>}
                          </td>
                          <td className="cell-wrap">
                            {p.messageUrl ? (
                              <a href={p.messageUrl} target="_blank" rel="noreferrer noopener">
                                {statusLabel(p.status)}
                              </a>
                            ) : (
                              <Pill value={p.status} />
                            )}
                            {p.error && <span className="block muted small">{p.error}</span>}
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              )}
            </div>
          </>
        )}
      </QueryState>
    </section>
  );
}

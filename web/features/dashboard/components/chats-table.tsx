import { RelativeTime } from '../../../components/relative-time';
import { exactTime } from '../../../lib/format';
import type { Bot, Chat } from '../api/get-bot';
import { useRecheckChats } from '../api/recheck-chats';

const idleReason: Record<Exclude<Bot['status'], 'running'>, string> = {
  stopped: 'Your bot is stopped — press Start to post here.',
  expired: 'Your plan has expired — renew to post here again.',
  suspended: 'Your bot is suspended, so nothing is posted.',
};

// "Posting" only once something has actually been posted by a running bot; an ok chat is
// otherwise just ready, and why nothing posts (the bot's state) comes first.
export function statusInfo(c: Chat, bot: Pick<Bot, 'status'>, botNames: string): { label: string; cls: string; fix?: string } {
  switch (c.status) {
    case 'ok':
      if (bot.status !== 'running') return { label: 'Ready', cls: '', fix: idleReason[bot.status] };
      if (!c.lastPostAt) return { label: 'Ready', cls: '', fix: 'Access confirmed — the first post goes out shortly.' };
      return { label: 'Posting', cls: 'pill-success' };
    case 'pending':
      return { label: 'Checking', cls: '', fix: 'We check access before the first post.' };
    case 'no_access':
      return {
        label: 'No access',
        cls: 'pill-danger',
        fix: `The bot is not a member or cannot post — add ${botNames} to the chat (as an admin in channels), then press Re-check.`,
      };
    case 'not_found':
      return { label: 'Not found', cls: 'pill-danger', fix: 'Check the spelling, or add your bot to a private chat first, then press Re-check.' };
    default:
      return { label: 'Error', cls: 'pill-warning', fix: 'We check again automatically in a few minutes.' };
  }
}

const sameAsRef = (title: string, ref: string) => title.trim().replace(/^@/, '').toLowerCase() === ref.replace(/^@/, '').toLowerCase();

export function ChatsTable({ bot }: { bot: Bot }) {
  const recheck = useRecheckChats();
  const botNames =
    bot.senders
      .map((s) => (s.username ? `@${s.username}` : null))
      .filter(Boolean)
      .join(' or ') || 'your bot';
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
      <div className="section-head">
        <h2 id="chats-heading">Chats</h2>
        <button
          type="button"
          className="btn btn-secondary btn-sm"
          onClick={() => recheck.mutate()}
          disabled={recheck.isPending || bot.status === 'expired' || bot.status === 'suspended'}
          title="Ask Telegram again whether your bots may post in each chat"
        >
          {recheck.isPending ? 'Checking…' : 'Re-check'}
        </button>
      </div>
      {recheck.isError && (
        <p className="notice notice-error" role="alert" data-testid="recheck-error">
          {recheck.error.message}
        </p>
      )}
      {recheck.isSuccess && !recheck.isPending && (
        <p className="small muted" role="status" data-testid="recheck-done">
          Checked {exactTime(new Date(recheck.submittedAt).toISOString())}.
        </p>
      )}
      <div className="table-wrap">
        <table className="table stack-table chats-table" data-testid="chats-table">
          <thead>
            <tr>
              <th scope="col">Chat</th>
              <th scope="col">Status</th>
              <th scope="col">Served by</th>
              <th scope="col">Last post</th>
              <th scope="col">Next post</th>
            </tr>
          </thead>
          <tbody>
            {bot.chats.map((c) => {
              const s = statusInfo(c, bot, botNames);
              const next = bot.status === 'running' && c.status === 'ok' ? (c.nextPostAt ? new Date(c.nextPostAt) : null) : undefined;
              return (
                <tr key={c.ref} data-testid="chat-row">
                  <td data-label="Chat" className="chat-cell">
                    <span className="chat-title">{c.title ?? c.ref}</span>
                    {c.title && !sameAsRef(c.title, c.ref) && <span className="muted small mono block">{c.ref}</span>}
                  </td>
                  <td data-label="Status" className="status-cell">
                    <span>
                      <span className={`pill ${s.cls}`} data-testid="chat-status">
                        {s.label}
                      </span>
                      {(c.status === 'ok' ? s.fix : (c.lastError ?? s.fix)) && (
                        <span className="small muted block">
                          {/* The server's reason already names the bot and the fix; the generic hint is the fallback. */}
                          {c.status === 'ok' ? s.fix : (c.lastError ?? s.fix)}
                        </span>
                      )}
                    </span>
                  </td>
                  <td data-label="Served by">
                    {c.senderUsername ? <span className="mono small">@{c.senderUsername}</span> : <span className="muted">—</span>}
                  </td>
                  <td data-label="Last post">
                    {c.lastPostAt ? (
                      c.lastPostUnconfirmed ? (
                        <span title="Telegram very likely got it, but the worker stopped before the answer came back, so there is no link">
                          <RelativeTime value={c.lastPostAt} direction="past" /> <span className="small muted">· sent, not confirmed</span>
                        </span>
                      ) : c.lastPostUrl ? (
                        <a href={c.lastPostUrl} target="_blank" rel="noreferrer">
                          <RelativeTime value={c.lastPostAt} direction="past" />
                        </a>
                      ) : (
                        <RelativeTime value={c.lastPostAt} direction="past" />
                      )
                    ) : (
                      <span className="muted">Not yet</span>
                    )}
                  </td>
                  <td data-label="Next post">
                    {next === undefined ? <span className="muted">—</span> : next === null ? 'Soon' : <RelativeTime value={next} direction="future" />}
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

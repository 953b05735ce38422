import { RelativeTime } from '../../../components/relative-time';
import { useAddDiscoveredChat, useDiscoveredChats } from '../api/discovered-chats';
import type { Bot } from '../api/get-bot';

/** "Chats that added your bot": groups and channels a sender joined that the chat list lacks, one click to list. */
export function DiscoveredChatsPanel({ bot }: { bot: Bot }) {
  const found = useDiscoveredChats();
  const add = useAddDiscoveredChat();
  const chats = found.data?.chats ?? [];
  // Nothing to offer is the usual case: the panel stays out of the way.
  if (found.isSuccess && chats.length === 0) return null;
  return (
    <section className="card" aria-labelledby="discovered-heading" data-testid="discovered-chats">
      <h2 id="discovered-heading">Chats that added your bot</h2>
      <p className="small muted">Telegram told us one of your bots was added to these. Add them to your chats to post there.</p>
      {found.isPending && <div className="skeleton notes-skeleton" role="status" aria-busy="true" aria-label="Loading chats that added your bot" />}
      {found.isError && (
        <p className="muted" role="alert">
          Couldn't load them. {found.error.message}{' '}
          <button type="button" className="btn btn-ghost btn-sm" onClick={() => void found.refetch()}>
            Try again
          </button>
        </p>
      )}
      {add.isError && (
        <p className="notice notice-error" role="alert">
          Not added: {add.error.message}
        </p>
      )}
      {chats.length > 0 && (
        <ul className="notes">
          {chats.map((c) => (
            <li key={c.id}>
              <div className="note-head">
                <strong>{c.title ?? c.ref}</strong>
                <RelativeTime value={c.addedAt} direction="past" className="small muted" />
              </div>
              <p className="small muted">
                {c.chatType === 'channel' ? 'Channel' : 'Group'} {c.ref}
                {c.senderUsername ? ` · added @${c.senderUsername}` : ''}
              </p>
              <button
                type="button"
                className="btn btn-secondary btn-sm"
                disabled={add.isPending}
                aria-label={`Add ${c.title ?? c.ref} to my chats`}
                onClick={() => add.mutate({ bot, ref: c.ref })}
              >
                {add.isPending && add.variables?.ref === c.ref ? 'Adding…' : 'Add to my chats'}
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

import { RelativeTime } from '../../../components/relative-time';
import { exactTime } from '../../../lib/format';
import { useMarkNotificationsRead, useNotifications } from '../api/notifications';

// Machine timestamps in a body read as noise; the panel shows them the way the rest of the page shows time.
// Both the ISO form and the emails' "2027-01-02 11:52 UTC" become the page's one exact format.
const ISO_TIME = /\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})\b/g;
const UTC_TIME = /\b(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}) UTC\b/g;
export function readableBody(body: string): string {
  return body
    .replace(ISO_TIME, (iso) => (Number.isNaN(Date.parse(iso)) ? iso : exactTime(iso)))
    .replace(UTC_TIME, (whole, day: string, time: string) => {
      const iso = `${day}T${time}:00Z`;
      return Number.isNaN(Date.parse(iso)) ? whole : exactTime(iso);
    });
}

export function NotificationsPanel() {
  const n = useNotifications();
  const mark = useMarkNotificationsRead();
  const unread = n.data?.unread ?? 0;
  return (
    <section className="card" aria-labelledby="notes-heading" data-testid="notifications">
      <div className="section-head">
        <h2 id="notes-heading">
          Notifications{' '}
          {unread > 0 && (
            <span className="badge">
              {unread}
              <span className="sr-only"> unread</span>
            </span>
          )}
        </h2>
        {unread > 0 && (
          <button type="button" className="btn btn-ghost btn-sm" onClick={() => mark.mutate()} disabled={mark.isPending}>
            Mark all read
          </button>
        )}
      </div>
      {n.isPending && <div className="skeleton notes-skeleton" aria-busy="true" />}
      {n.isError && <p className="muted">Couldn't load notifications. {n.error.message}</p>}
      {n.isSuccess && n.data.notifications.length === 0 && <p className="empty">Nothing yet. Reminders and bot news show up here.</p>}
      {n.isSuccess && n.data.notifications.length > 0 && (
        <ul className="notes">
          {n.data.notifications.slice(0, 20).map((x) => (
            <li key={x.id} className={x.readAt ? '' : 'unread'}>
              <div className="note-head">
                <strong>{x.title}</strong>
                <RelativeTime value={x.createdAt} direction="past" className="small muted" />
              </div>
              {x.body && <p className="small">{readableBody(x.body)}</p>}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

import { Link } from 'react-router';
import { AxisChart, niceTop } from '../../../components/axis-chart';
import { RelativeTime } from '../../../components/relative-time';
import { useStats } from '../api/get-stats';

function lastSevenDays(daily: { date: string; sent: number; failed: number }[]) {
  const byDate = new Map(daily.map((d) => [d.date.slice(0, 10), d]));
  const days = [];
  for (let i = 6; i >= 0; i--) {
    const d = new Date(Date.now() - i * 86_400_000).toISOString().slice(0, 10);
    days.push(byDate.get(d) ?? { date: d, sent: 0, failed: 0 });
  }
  return days;
}

export function StatsPanel() {
  const stats = useStats();
  if (stats.isPending) return <section className="card skeleton stats-skeleton" aria-busy="true" aria-label="Loading statistics" />;
  if (stats.isError) {
    return (
      <section className="card" role="alert">
        <h2>Statistics</h2>
        <p className="muted">Couldn't load statistics. {stats.error.message}</p>
      </section>
    );
  }
  const s = stats.data;
  const days = lastSevenDays(s.daily);
  const max = niceTop(Math.max(0, ...days.map((d) => d.sent + d.failed)));
  // Weekday over date: "Mon" alone does not say which week.
  const xLabels = days.map((d, i) => {
    const day = new Date(`${d.date}T00:00:00Z`);
    const weekday = day.toLocaleDateString('en-GB', { weekday: 'short', timeZone: 'UTC' });
    return { index: i, label: `${weekday}\n${day.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' })}` };
  });
  const week = days.reduce((a, d) => ({ sent: a.sent + d.sent, failed: a.failed + d.failed }), { sent: 0, failed: 0 });
  const today = days[days.length - 1]!;
  return (
    <section className="card" aria-labelledby="stats-heading" data-testid="stats">
      <h2 id="stats-heading">Statistics</h2>
      <dl className="stat-grid">
        <div>
          <dt>Sent today</dt>
          <dd>{today.sent}</dd>
        </div>
        <div>
          <dt>Sent, 7 days</dt>
          <dd>{week.sent}</dd>
        </div>
        <div>
          <dt>Failed, 7 days</dt>
          <dd className={week.failed ? 'bad' : ''}>{week.failed}</dd>
        </div>
        <div>
          <dt>All time</dt>
          <dd>
            {s.messagesSent}
            {s.messagesUnconfirmed > 0 && (
              <span className="small muted" title="Telegram very likely got these, but the worker stopped before the answer came back: no link to show">
                {' '}
                ({s.messagesUnconfirmed} sent, not confirmed)
              </span>
            )}
            {s.messagesFailed > 0 && <span className="small muted"> / {s.messagesFailed} failed</span>}
          </dd>
        </div>
      </dl>
      <AxisChart top={max} formatY={(n) => String(n)} bars={days.length} xLabels={xLabels} testId="stats-chart">
        <div className="bars" role="img" aria-label={`Posts per day for the last 7 days: ${days.map((d) => d.sent).join(', ')}`}>
          {days.map((d) => (
            <div key={d.date} className="bar-col" title={`${d.date}: ${d.sent} sent, ${d.failed} failed`}>
              <div className="bar-stack">
                <div className="bar bar-failed" style={{ height: `${(d.failed / max) * 100}%` }} />
                <div className="bar bar-sent" style={{ height: `${(d.sent / max) * 100}%` }} />
              </div>
            </div>
          ))}
        </div>
      </AxisChart>
      <p className="small muted">
        <span data-testid="stats-last-post">Last post: {s.lastPostAt ? <RelativeTime value={s.lastPostAt} direction="past" /> : 'none yet'}</span> ·{' '}
        <Link to="/dashboard/log" data-testid="stats-log-link">
          Delivery log of every post
        </Link>
      </p>
    </section>
  );
}

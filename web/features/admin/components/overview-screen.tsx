import { Link } from 'react-router';
import { overviewSchema } from '../../../../src/shared/api/admin';
import { AxisChart, niceTop, spreadTicks } from '../../../components/axis-chart';
import { formatUsd } from '../../../lib/format';
import { useAdminQuery } from '../api/admin-fetch';
import { QueryState, Time } from './admin-ui';
import { UnmatchedPayments } from './unmatched-payments';

const shortDate = (d: string) => new Date(`${d}T00:00:00Z`).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' });
const wholeUsd = (n: number) => `$${n.toLocaleString('en-US')}`;
const count = (n: number) => n.toLocaleString('en-US');
/** A few dates under a chart of daily bars: enough to read, few enough for 390 px. */
const dateLabels = (days: { date: string }[], n: number) => spreadTicks(days.length, n).map((i) => ({ index: i, label: shortDate(days[i]!.date) }));

export function OverviewScreen() {
  const q = useAdminQuery(['overview'], '/api/admin/overview', overviewSchema, { refetchInterval: 60_000 });
  const o = q.data;
  const maxRevenue = niceTop(Math.max(0, ...(o?.revenueByDay.map((d) => d.usd) ?? [])));
  const maxPosts = niceTop(Math.max(0, ...(o?.postsByDay.map((d) => d.sent + d.failed) ?? [])));
  const maxPlan = Math.max(1, ...(o?.revenueByPlan.map((p) => p.usd) ?? []));
  const stockTotal = o ? Object.values(o.stock).reduce((a, b) => a + b, 0) : 0;

  return (
    <section aria-labelledby="overview-heading">
      <h1 id="overview-heading">Overview</h1>
      <QueryState query={q} rows={4}>
        {o && (
          <div className="admin-stack" data-testid="overview">
            {!o.paymentProvider.reachable && (
              <div className="notice notice-error" role="alert" data-testid="provider-down">
                <p>
                  <strong>NOWPayments is not answering</strong> (checked <Time value={o.paymentProvider.checkedAt} />
                  ). While it is down, new checkouts fail with a "try again" message; payments already made are picked up by the reconciliation job once it is
                  back.
                </p>
              </div>
            )}
            <dl className="kpis">
              <div>
                <dt>Revenue, 30 days</dt>
                <dd>{formatUsd(o.revenue30dUsd)}</dd>
              </div>
              <div>
                <dt>Running bots</dt>
                <dd>{o.activeBots}</dd>
              </div>
              <div>
                <dt>Senders free</dt>
                <dd>
                  {o.stock.unused ?? 0} <span className="muted small">of {stockTotal}</span>
                </dd>
              </div>
              <div className={o.ordersNeedingAttention > 0 ? 'kpi-alert' : ''}>
                <dt>Orders needing attention</dt>
                <dd>{o.ordersNeedingAttention > 0 ? <Link to="/admin/orders">{o.ordersNeedingAttention}</Link> : 0}</dd>
              </div>
              <div className={o.unmatchedPayments > 0 ? 'kpi-alert' : ''} data-testid="kpi-unmatched">
                <dt>Payments we can't match</dt>
                <dd>{o.unmatchedPayments > 0 ? <a href="#unmatched-payments">{o.unmatchedPayments}</a> : 0}</dd>
              </div>
            </dl>

            <section className="card">
              <h2>Revenue by day</h2>
              <p className="muted small">Fulfilled orders, last 30 days (UTC)</p>
              {o.revenue30dUsd === 0 && <p className="empty">No fulfilled orders in the last 30 days.</p>}
              <AxisChart top={maxRevenue} formatY={wholeUsd} bars={o.revenueByDay.length} xLabels={dateLabels(o.revenueByDay, 5)} testId="revenue-chart">
                <div className="vbars" role="img" aria-label="Revenue per day for the last 30 days">
                  {o.revenueByDay.map((d) => (
                    <div key={d.date} className="vbar" title={`${shortDate(d.date)}: ${formatUsd(d.usd)}`}>
                      <div className="vbar-fill" style={{ height: `${(d.usd / maxRevenue) * 100}%` }} />
                    </div>
                  ))}
                </div>
              </AxisChart>
            </section>

            <div className="admin-two">
              <section className="card">
                <h2>Revenue by plan</h2>
                {o.revenueByPlan.length === 0 ? (
                  <p className="empty">No fulfilled orders in the last 30 days.</p>
                ) : (
                  <ul className="hbars">
                    {o.revenueByPlan.map((p) => (
                      <li key={p.plan}>
                        <span className="hbar-label">{p.plan}</span>
                        <span className="hbar-track">
                          <span className="hbar-fill" style={{ width: `${(p.usd / maxPlan) * 100}%` }} />
                        </span>
                        <span className="hbar-value">
                          {formatUsd(p.usd)} <span className="muted small">· {p.orders}</span>
                        </span>
                      </li>
                    ))}
                  </ul>
                )}
              </section>
              <section className="card">
                <h2>Sender stock</h2>
                <ul className="hbars">
                  {Object.entries(o.stock).map(([state, n]) => (
                    <li key={state}>
                      <span className="hbar-label">{state}</span>
                      <span className="hbar-track">
                        <span className={`hbar-fill state-${state}`} style={{ width: `${stockTotal ? (n / stockTotal) * 100 : 0}%` }} />
                      </span>
                      <span className="hbar-value">{n}</span>
                    </li>
                  ))}
                </ul>
                <Link to="/admin/stock" className="small">
                  Manage stock →
                </Link>
              </section>
            </div>

            <section className="card">
              <h2>Posts per day</h2>
              <p className="muted small">
                Last 14 days · <span className="legend legend-sent">sent</span> <span className="legend legend-failed">failed</span>
              </p>
              {o.postsByDay.every((d) => d.sent + d.failed === 0) && <p className="empty">No posts in the last 14 days.</p>}
              <AxisChart top={maxPosts} formatY={count} bars={o.postsByDay.length} xLabels={dateLabels(o.postsByDay, 4)} testId="posts-chart">
                <div className="vbars vbars-14" role="img" aria-label="Posts sent and failed per day for the last 14 days">
                  {o.postsByDay.map((d) => (
                    <div key={d.date} className="vbar stacked" title={`${shortDate(d.date)}: ${d.sent} sent, ${d.failed} failed`}>
                      <div className="vbar-fill failed" style={{ height: `${(d.failed / maxPosts) * 100}%` }} />
                      <div className="vbar-fill" style={{ height: `${(d.sent / maxPosts) * 100}%` }} />
                    </div>
                  ))}
                </div>
              </AxisChart>
            </section>

            <UnmatchedPayments />
          </div>
        )}
      </QueryState>
    </section>
  );
}

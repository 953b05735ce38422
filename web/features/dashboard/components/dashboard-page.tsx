import { Link, Navigate } from 'react-router';
import { Layout } from '../../../components/layout';
import { ApiError } from '../../../lib/api-client';
import { SupportLink } from '../../../lib/support';
import { usePageTitle } from '../../../lib/use-page-title';
import { useMe } from '../../auth/api/get-me';
import { CustomerNav } from '../../orders/components/customer-nav';
import { useBot } from '../api/get-bot';
import { useStats } from '../api/get-stats';
import { useUserStatus } from '../api/get-user-status';
import { AdEditor } from './ad-editor';
import { AdErrorBanner } from './ad-error-banner';
import { ChatsTable } from './chats-table';
import { DashboardHeader } from './dashboard-header';
import { DiscoveredChatsPanel } from './discovered-chats-panel';
import { NotificationsPanel } from './notifications-panel';
import { SendersList } from './senders-list';
import { SetupChecklist } from './setup-checklist';
import { StatsPanel } from './stats-panel';

const isUnauthorized = (e: unknown) => e instanceof ApiError && e.code === 'unauthorized';

export function DashboardPage() {
  const me = useMe();
  usePageTitle('Dashboard');
  const loggedIn = me.isSuccess && me.data !== null;
  const status = useUserStatus();
  const bot = useBot();
  const stats = useStats();

  const nav = <CustomerNav />;

  if ((me.isSuccess && me.data === null) || isUnauthorized(status.error) || isUnauthorized(bot.error)) {
    return <Navigate to="/login" replace />;
  }
  if (loggedIn && me.data?.role === 'admin') return <Navigate to="/admin" replace />;

  const failed = me.error ?? status.error ?? bot.error;
  let content;
  if (failed) {
    content = (
      <section className="card status-card" role="alert">
        <h1>Your dashboard didn't load</h1>
        <p className="muted">{failed.message}</p>
        <button
          type="button"
          className="btn btn-primary"
          onClick={() => {
            void me.refetch();
            void status.refetch();
            void bot.refetch();
          }}
        >
          Try again
        </button>
      </section>
    );
  } else if (!status.data || bot.isPending) {
    content = (
      <div className="dash-grid" role="status" aria-busy="true" aria-label="Loading your dashboard">
        <section className="card skeleton header-skeleton" />
        <section className="card skeleton editor-skeleton" />
      </div>
    );
  } else if (!bot.data) {
    content = (
      <section className="card status-card" data-testid="no-bot">
        <h1>{status.data.planStatus === 'active' ? 'Setting up your bot' : 'No active plan'}</h1>
        <p className="muted">
          {status.data.planStatus === 'active'
            ? 'Your payment went through and your bot is being prepared. This page updates by itself.'
            : 'Pick a plan to get your bots posting.'}
        </p>
        <Link to="/" className="btn btn-primary">
          See the plans
        </Link>
      </section>
    );
  } else {
    const b = bot.data;
    const firstPostDone = Boolean(stats.data?.lastPostAt) || b.chats.some((c) => c.lastPostAt);
    content = (
      <div className="dash-grid">
        {status.data.accountBanned && (
          <p className="notice notice-error" role="alert">
            Your account is blocked. Posting is paused; contact support at <SupportLink subject="Blocked account" />.
          </p>
        )}
        <DashboardHeader bot={b} status={status.data} />
        <AdErrorBanner bot={b} />
        {/* An expired or suspended bot cannot post: the header's notice and Renew replace the first-post steps. */}
        {!firstPostDone && b.status !== 'expired' && b.status !== 'suspended' && <SetupChecklist bot={b} />}
        <AdEditor key={b.id} bot={b} />
        <div className="dash-columns">
          <div className="dash-main">
            <ChatsTable bot={b} />
            <DiscoveredChatsPanel bot={b} />
            {firstPostDone && (
              <section className="card" aria-labelledby="bots-heading">
                <h2 id="bots-heading">Your bots</h2>
                <SendersList senders={b.senders} />
              </section>
            )}
          </div>
          <aside className="dash-side">
            <StatsPanel />
            <NotificationsPanel />
          </aside>
        </div>
      </div>
    );
  }

  return (
    <Layout nav={nav}>
      <div className="dashboard">{content}</div>
    </Layout>
  );
}

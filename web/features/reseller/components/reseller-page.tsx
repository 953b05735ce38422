import { Navigate } from 'react-router';
import { Layout } from '../../../components/layout';
import { ApiError } from '../../../lib/api-client';
import { usePageTitle } from '../../../lib/use-page-title';
import { useMe } from '../../auth/api/get-me';
import { LogoutButton } from '../../auth/components/logout-button';
import { useReseller } from '../api/get-reseller';
import { BalanceStats } from './balance-stats';
import { CustomersTable } from './customers-table';
import { OrdersTable } from './orders-table';
import { PayoutsList } from './payouts-list';
import { ReferralCard } from './referral-card';

const isUnauthorized = (e: unknown) => e instanceof ApiError && e.status === 401;

export function ResellerPage() {
  const me = useMe();
  usePageTitle('Reseller');
  const reseller = useReseller();

  const nav = <LogoutButton />;

  if ((me.isSuccess && me.data === null) || isUnauthorized(reseller.error)) return <Navigate to="/login" replace />;
  // Someone else's session landed here (a bookmarked link): send them to their own screen.
  if (me.data?.role === 'admin') return <Navigate to="/admin" replace />;
  if (me.data?.role === 'customer') return <Navigate to="/dashboard" replace />;

  const failed = me.error ?? reseller.error;
  let content;
  if (failed) {
    content = (
      <section className="card status-card" role="alert">
        <h1>Your reseller page didn't load</h1>
        <p className="muted">{failed.message}</p>
        <button
          type="button"
          className="btn btn-primary"
          onClick={() => {
            void me.refetch();
            void reseller.refetch();
          }}
        >
          Try again
        </button>
      </section>
    );
  } else if (!reseller.data) {
    content = (
      <div className="reseller-grid" role="status" aria-busy="true" aria-label="Loading your reseller page">
        <section className="card skeleton referral-skeleton" />
        <section className="card skeleton stats-row-skeleton" />
      </div>
    );
  } else {
    content = (
      <div className="reseller-grid">
        <ReferralCard reseller={reseller.data} />
        <BalanceStats reseller={reseller.data} />
        <OrdersTable />
        <div className="reseller-columns">
          <CustomersTable />
          <PayoutsList />
        </div>
      </div>
    );
  }

  return (
    <Layout nav={nav}>
      <div className="reseller">{content}</div>
    </Layout>
  );
}

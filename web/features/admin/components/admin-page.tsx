import { Navigate, NavLink, Route, Routes, useLocation } from 'react-router';
import { Layout } from '../../../components/layout';
import { usePageTitle } from '../../../lib/use-page-title';
import { useMe } from '../../auth/api/get-me';
import { LogoutButton } from '../../auth/components/logout-button';
import { ActivityScreen } from './activity-screen';
import { CustomersScreen } from './customers-screen';
import { EmailsScreen } from './emails-screen';
import { OrderDetailScreen } from './order-detail-screen';
import { OrdersScreen } from './orders-screen';
import { OverviewScreen } from './overview-screen';
import { PlansScreen } from './plans-screen';
import { ResellersScreen } from './resellers-screen';
import { StockScreen } from './stock-screen';

const sections = [
  { to: '/admin', label: 'Overview', end: true },
  { to: '/admin/orders', label: 'Orders' },
  { to: '/admin/customers', label: 'Customers & bots' },
  { to: '/admin/stock', label: 'Stock' },
  { to: '/admin/plans', label: 'Plans' },
  { to: '/admin/resellers', label: 'Resellers' },
  { to: '/admin/emails', label: 'Emails' },
  { to: '/admin/activity', label: 'Activity log' },
];

/** "Orders — Admin": the section the address shows; an order's own page says its number. */
function adminTitle(pathname: string): string {
  const rest = pathname.replace(/^\/admin\/?/, '');
  const order = rest.match(/^orders\/([^/]+)/);
  if (order) return `Order ${decodeURIComponent(order[1]!).slice(0, 12)} — Admin`;
  const section = sections.find((s) => s.to === `/admin/${rest.split('/')[0]}` || (rest === '' && s.to === '/admin'));
  return section && section.to !== '/admin' ? `${section.label} — Admin` : 'Admin';
}

export function AdminPage() {
  const me = useMe();
  usePageTitle(adminTitle(useLocation().pathname));
  const nav = <LogoutButton />;

  if (me.isSuccess && !me.data) return <Navigate to="/login" replace />;
  if (me.isPending) {
    return (
      <Layout nav={nav}>
        <div className="skeleton admin-skeleton-page" role="status" aria-busy="true" aria-label="Loading the admin panel" />
      </Layout>
    );
  }
  if (me.isError) {
    return (
      <Layout nav={nav}>
        <section className="card narrow center" role="alert">
          <h1>The admin panel didn't load</h1>
          <p className="muted">{me.error.message}</p>
          <button type="button" className="btn btn-primary" onClick={() => void me.refetch()}>
            Try again
          </button>
        </section>
      </Layout>
    );
  }
  if (me.data?.role !== 'admin') {
    return (
      <Layout nav={nav}>
        <section className="card narrow center" role="alert" data-testid="not-admin">
          <h1>Not an admin</h1>
          <p className="muted">You are logged in as a {me.data?.role}. The admin panel is for HQAdz operators only.</p>
          <NavLink to={me.data?.role === 'reseller' ? '/reseller' : '/dashboard'} className="btn btn-primary">
            Go to your {me.data?.role === 'reseller' ? 'reseller page' : 'dashboard'}
          </NavLink>
        </section>
      </Layout>
    );
  }

  return (
    <Layout nav={nav}>
      <div className="admin">
        <nav className="admin-nav" aria-label="Admin sections">
          <p className="eyebrow admin-nav-title">Admin</p>
          <ul>
            {sections.map((s) => (
              <li key={s.to}>
                <NavLink to={s.to} end={s.end ?? false}>
                  {s.label}
                </NavLink>
              </li>
            ))}
          </ul>
          {me.data.email && <p className="muted small admin-nav-who">{me.data.email}</p>}
        </nav>
        <div className="admin-content">
          <Routes>
            <Route index element={<OverviewScreen />} />
            <Route path="orders" element={<OrdersScreen />} />
            <Route path="orders/:id" element={<OrderDetailScreen />} />
            <Route path="customers" element={<CustomersScreen />} />
            <Route path="stock" element={<StockScreen />} />
            <Route path="plans" element={<PlansScreen />} />
            <Route path="resellers" element={<ResellersScreen />} />
            <Route path="emails" element={<EmailsScreen />} />
            <Route path="activity" element={<ActivityScreen />} />
            <Route path="*" element={<p className="empty">No such admin page.</p>} />
          </Routes>
        </div>
      </div>
    </Layout>
  );
}

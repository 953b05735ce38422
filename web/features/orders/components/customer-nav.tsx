import { NavLink } from 'react-router';
import { LogoutButton } from '../../auth/components/logout-button';

/** The signed-in customer's header links: dashboard, delivery log, orders, log out. */
export function CustomerNav() {
  return (
    <span className="customer-nav">
      <NavLink to="/dashboard" end className="btn btn-ghost">
        Dashboard
      </NavLink>
      {/* A fourth link does not fit a phone's header: there the dashboard's statistics link to the log. */}
      <NavLink to="/dashboard/log" className="btn btn-ghost nav-wide" data-testid="log-link">
        Delivery log
      </NavLink>
      <NavLink to="/dashboard/orders" className="btn btn-ghost" data-testid="orders-link">
        Orders
      </NavLink>
      <LogoutButton />
    </span>
  );
}

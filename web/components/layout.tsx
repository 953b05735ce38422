import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { useMe } from '../features/auth/api/get-me';
import { homeFor } from '../features/auth/lib/home-for';
import { useMeta } from '../lib/use-meta';

const homeLabel = { customer: 'My dashboard', reseller: 'My reseller page', admin: 'Admin' } as const;

export function Layout({ children, nav }: { children: ReactNode; nav?: ReactNode }) {
  const meta = useMeta();
  const me = useMe();
  // A signed-in visitor on a public page (pricing, checkout) goes home, not to a login form.
  const [to, label] = me.data ? [homeFor(me.data.role), homeLabel[me.data.role]] : ['/login', 'Log in'];
  return (
    <div className="app">
      {meta.data?.testMode && (
        <div className="test-banner" role="status">
          TEST MODE — no real money. Payments are simulated and posts go to sandbox bots.
        </div>
      )}
      <header className="topbar">
        <Link to="/" className="brand" aria-label="HQAdz home">
          <span className="brand-mark">H</span> HQAdz
        </Link>
        <nav className="topnav">
          {nav ?? (
            <Link to={to} className="btn btn-ghost" data-testid="header-account-link">
              {label}
            </Link>
          )}
        </nav>
      </header>
      <main className="main">{children}</main>
      <footer className="footer">
        <span>© {new Date().getFullYear()} HQAdz</span>
        <span>Posts only through the official Telegram Bot API, into chats that added your bots.</span>
      </footer>
    </div>
  );
}

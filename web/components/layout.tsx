import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { useMeta } from '../lib/use-meta';

export function Layout({ children, nav }: { children: ReactNode; nav?: ReactNode }) {
  const meta = useMeta();
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
        <nav className="topnav">{nav ?? <Link to="/login" className="btn btn-ghost">Log in</Link>}</nav>
      </header>
      <main className="main">{children}</main>
      <footer className="footer">
        <span>© {new Date().getFullYear()} HQAdz</span>
        <span>Posts only through the official Telegram Bot API, into chats that added your bots.</span>
      </footer>
    </div>
  );
}

import { Link } from 'react-router';
import { usePageTitle } from '../lib/use-page-title';
import { Layout } from './layout';

export function NotFound() {
  usePageTitle('Page not found');
  return (
    <Layout>
      <section className="card narrow center">
        <h1>Page not found</h1>
        <p className="muted">That address doesn't lead anywhere.</p>
        <Link to="/" className="btn btn-primary">
          See the plans
        </Link>
      </section>
    </Layout>
  );
}

import { Link } from 'react-router';
import { Layout } from './layout';

export function NotFound() {
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

import { Navigate } from 'react-router';
import { Layout } from '../../../components/layout';
import { useMe } from '../../auth/api/get-me';

export function AdminPage() {
  const me = useMe();
  if (me.isSuccess && !me.data) return <Navigate to="/login" replace />;
  return (
    <Layout>
      <section className="card narrow center">
        <h1>Admin</h1>
        <p className="muted">The admin panel is on its way.</p>
      </section>
    </Layout>
  );
}

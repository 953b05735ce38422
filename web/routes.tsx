// Every page of the app, in one place. Only the pricing page is in the first script: the
// other pages (and the QR encoder, the dashboard, zod) load when first visited. Declarative
// routes with React.lazy rather than a data router: no page uses loaders, and the data
// router was a quarter of the pricing page's script.
import { lazy, Suspense } from 'react';
import { BrowserRouter, Route, Routes } from 'react-router';
import { NotFound } from './components/not-found';
import { ReferralKeeper } from './components/referral-keeper';
import { CheckoutTitle } from './features/checkout/components/checkout-title';
import { PricingPage } from './features/pricing/components/pricing-page';
import { usePageTitle } from './lib/use-page-title';

const CheckoutPage = lazy(() => import('./features/checkout/components/checkout-page').then((m) => ({ default: m.CheckoutPage })));
const LoginPage = lazy(() => import('./features/auth/components/login-page').then((m) => ({ default: m.LoginPage })));
const DashboardPage = lazy(() => import('./features/dashboard/components/dashboard-page').then((m) => ({ default: m.DashboardPage })));
const OrdersPage = lazy(() => import('./features/orders/components/orders-page').then((m) => ({ default: m.OrdersPage })));
const DeliveryLogPage = lazy(() => import('./features/deliveries/components/delivery-log-page').then((m) => ({ default: m.DeliveryLogPage })));
const ReceiptPage = lazy(() => import('./features/orders/components/receipt-page').then((m) => ({ default: m.ReceiptPage })));
const ResellerPage = lazy(() => import('./features/reseller/components/reseller-page').then((m) => ({ default: m.ResellerPage })));
const AdminPage = lazy(() => import('./features/admin/components/admin-page').then((m) => ({ default: m.AdminPage })));

function LoginTitle() {
  usePageTitle('Log in');
  return null;
}

/** While a page's script loads: an empty, labelled placeholder (no flash of another page). */
function PageLoading() {
  return <div className="page-loading" role="status" aria-busy="true" aria-label="Loading" />;
}

export function AppRoutes() {
  return (
    <BrowserRouter>
      <ReferralKeeper />
      <Suspense fallback={<PageLoading />}>
        <Routes>
          <Route path="/" element={<PricingPage />} />
          <Route
            path="/checkout"
            element={
              <>
                <CheckoutTitle />
                <CheckoutPage />
              </>
            }
          />
          <Route
            path="/login"
            element={
              <>
                <LoginTitle />
                <LoginPage />
              </>
            }
          />
          <Route path="/dashboard" element={<DashboardPage />} />
          <Route path="/dashboard/orders" element={<OrdersPage />} />
          <Route path="/dashboard/log" element={<DeliveryLogPage />} />
          <Route path="/dashboard/orders/:orderNumber" element={<ReceiptPage />} />
          <Route path="/reseller" element={<ResellerPage />} />
          <Route path="/admin/*" element={<AdminPage />} />
          <Route path="*" element={<NotFound />} />
        </Routes>
      </Suspense>
    </BrowserRouter>
  );
}

// Every page of the app, in one place. Pages beyond pricing load on demand, so the landing
// page does not carry the QR encoder and the dashboard.
import { createBrowserRouter } from 'react-router';
import { NotFound } from './components/not-found';
import { PricingPage } from './features/pricing/components/pricing-page';

export const router = createBrowserRouter([
  { path: '/', element: <PricingPage /> },
  {
    path: '/checkout',
    lazy: () => import('./features/checkout/components/checkout-page').then((m) => ({ Component: m.CheckoutPage })),
  },
  {
    path: '/login',
    lazy: () => import('./features/auth/components/login-page').then((m) => ({ Component: m.LoginPage })),
  },
  {
    path: '/dashboard',
    lazy: () => import('./features/dashboard/components/dashboard-page').then((m) => ({ Component: m.DashboardPage })),
  },
  {
    path: '/reseller',
    lazy: () => import('./features/reseller/components/reseller-page').then((m) => ({ Component: m.ResellerPage })),
  },
  {
    path: '/admin/*',
    lazy: () => import('./features/admin/components/admin-page').then((m) => ({ Component: m.AdminPage })),
  },
  { path: '*', element: <NotFound /> },
]);

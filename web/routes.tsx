// Every page of the app, in one place.
import { createBrowserRouter } from 'react-router';
import { NotFound } from './components/not-found';
import { PricingPage } from './features/pricing/components/pricing-page';

export const router = createBrowserRouter([
  { path: '/', element: <PricingPage /> },
  { path: '*', element: <NotFound /> },
]);

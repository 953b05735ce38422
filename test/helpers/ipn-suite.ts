// The IPN webhook suites share one set-up: an app (no worker, so fulfilment jobs stay in
// pgboss.job to be counted) paid through the fake NOWPayments, with stock for many checkouts.
import { eq } from 'drizzle-orm';
import { expect } from 'vitest';
import { paymentEvents } from '../../src/db/schema.js';
import { signIpn } from '../../src/modules/payments/ipn-signature.js';
import { freshEmail } from '../factories/ids.js';
import { checkout } from '../factories/orders.js';
import { sandboxSenders } from '../factories/stock.js';
import { type FakeNowPayments, startFakeNowPayments } from '../fakes/nowpayments.js';
import { type ApiResponse, startTestApp, type TestApp } from './test-app.js';

export type IpnSuite = {
  np: FakeNowPayments;
  t: TestApp;
  /** A checkout through the route: its order and (fake provider) payment. */
  buy(slug?: string, currency?: string): Promise<{ orderId: string; paymentId: string; payAmount: string; checkoutSecret: string }>;
  postIpn(body: unknown, headers?: Record<string, string>): Promise<ApiResponse>;
  signed(body: Record<string, unknown>): Record<string, string>;
  eventsFor(paymentId: string): Promise<(typeof paymentEvents.$inferSelect)[]>;
  close(): Promise<void>;
};

export async function startIpnSuite(): Promise<IpnSuite> {
  const np = await startFakeNowPayments();
  const t = await startTestApp({ worker: false, env: { ...np.env(), RATE_LIMIT_CHECKOUT_PER_MINUTE: '1000' } });
  await sandboxSenders(t, 40);
  return {
    np,
    t,
    async buy(slug = 'silver', currency = 'btc') {
      const res = await checkout(t, { email: freshEmail(slug), slug, currency });
      expect(res.status).toBe(201);
      return res.body;
    },
    postIpn: (body, headers = {}) =>
      t.api('POST', '/api/payment/webhook', typeof body === 'string' ? body : JSON.stringify(body), { 'content-type': 'application/json', ...headers }),
    signed: (body) => ({ 'x-nowpayments-sig': signIpn(body, np.ipnSecret) }),
    eventsFor: (paymentId) => t.ctx.db.select().from(paymentEvents).where(eq(paymentEvents.providerPaymentId, paymentId)),
    async close() {
      await t?.close();
      await np?.close();
    },
  };
}

// The admin API suites share one set-up: an app with a known admin code, a customer who
// bought Bronze through checkout, payment and fulfilment, and a reseller made by the admin.
import { sql } from 'drizzle-orm';
import type { activityLog, emails, paymentEvents, plans, senders, users } from '../../src/db/schema.js';
import { freshEmail } from '../factories/ids.js';
import { buyPlan } from '../factories/orders.js';
import { reseller as newReseller } from '../factories/resellers.js';
import { type Auth, logIn } from '../factories/sessions.js';
import { type ApiResponse, startTestApp, type TestApp } from './test-app.js';

export type AdminSuite = {
  t: TestApp;
  admin: Auth;
  customer: Auth;
  reseller: Auth;
  /** The Bronze customer; `accessCode` follows rotations, `firstAccessCode` is the one the fulfilment email masked. */
  bought: { orderId: string; paymentId: string; email: string; userId: string; accessCode: string; firstAccessCode: string };
  login(accessCode: string): Promise<ApiResponse>;
  count(table: typeof plans | typeof users | typeof activityLog | typeof paymentEvents | typeof senders | typeof emails): Promise<number>;
};

export async function startAdminSuite(adminCode: string): Promise<AdminSuite> {
  const t = await startTestApp({ env: { ADMIN_ACCESS_CODE: adminCode, RATE_LIMIT_CHECKOUT_PER_MINUTE: '1000', RATE_LIMIT_LOGIN_FAILURES: '1000' } });
  const admin = (await logIn(t, adminCode)).auth;
  const purchase = await buyPlan(t, { plan: 'bronze', email: freshEmail('bronze') });
  const bought = { ...purchase, accessCode: purchase.accessCode!, firstAccessCode: purchase.accessCode! };
  const customer = (await logIn(t, bought.accessCode)).auth;
  const reseller = (await newReseller(t, admin, { email: freshEmail('admin-reseller') })).auth;
  return {
    t,
    admin,
    customer,
    reseller,
    bought,
    login: (accessCode) => t.api('POST', '/api/auth/login', { accessCode }),
    count: async (table) => (await t.ctx.db.select({ n: sql<number>`count(*)::int` }).from(table))[0]!.n,
  };
}

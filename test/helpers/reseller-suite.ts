// The reseller suites share one set-up: an app with a known admin code, resellers made
// through the admin API, and purchases through checkout, payment and fulfilment.
import { count } from 'drizzle-orm';
import { payouts, resellers, users } from '../../src/db/schema.js';
import { buyPlan } from '../factories/orders.js';
import { type Auth, logIn } from '../factories/sessions.js';
import { startTestApp, type TestApp } from './test-app.js';

export type ResellerSuite = {
  t: TestApp;
  admin: Auth;
  login(accessCode: string): Promise<{ role: string; auth: Auth }>;
  newReseller(body?: Record<string, unknown>): Promise<{ reseller: any; accessCode: string; role: string; auth: Auth }>;
  /** A checkout through the real routes, paid by the sandbox and fulfilled; returns the order id. */
  buy(opts: { email: string; ref?: string; slug?: string }): Promise<string>;
  counts(): Promise<{ users: number; resellers: number; payouts: number; rows: { bps: number; active: boolean }[] }>;
  /** How many resellers newReseller made so far (tests build unique referral codes from it). */
  seq(): number;
};

export async function startResellerSuite(adminCode: string): Promise<ResellerSuite> {
  const t = await startTestApp({ env: { ADMIN_ACCESS_CODE: adminCode, RATE_LIMIT_CHECKOUT_PER_MINUTE: '1000' } });
  const login = (accessCode: string) => logIn(t, accessCode);
  const admin = (await login(adminCode)).auth;
  let seq = 0;
  return {
    t,
    admin,
    login,
    async newReseller(body = {}) {
      const res = await t.api('POST', '/api/admin/resellers', { email: `reseller${++seq}.${Date.now()}@example.com`, commissionPercent: 10, ...body }, admin);
      if (res.status !== 201) throw new Error(`creating a reseller answered ${res.status} ${JSON.stringify(res.body)}`);
      const session = await login(res.body.accessCode);
      return { ...(res.body as { reseller: any; accessCode: string }), ...session };
    },
    async buy(opts) {
      return (await buyPlan(t, { email: opts.email, plan: opts.slug ?? 'bronze', ...(opts.ref !== undefined ? { ref: opts.ref } : {}) })).orderId;
    },
    async counts() {
      const [u] = await t.ctx.db.select({ n: count() }).from(users);
      const [r] = await t.ctx.db.select({ n: count() }).from(resellers);
      const [p] = await t.ctx.db.select({ n: count() }).from(payouts);
      const rows = await t.ctx.db.select({ bps: resellers.commissionBps, active: resellers.active }).from(resellers).orderBy(resellers.id);
      return { users: u!.n, resellers: r!.n, payouts: p!.n, rows };
    },
    seq: () => seq,
  };
}

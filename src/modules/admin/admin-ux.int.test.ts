// The admin lists name things the way people do (order numbers, emails), and an admin can
// retire a sender that works for a bot.
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestApp, type TestApp } from '../../../test/helpers/test-app.js';
import { activityLog, adbots, orders, senders, users } from '../../db/schema.js';
import { logActivity } from '../../platform/log-activity.js';
import { checkout, freshEmail } from '../checkout/checkout-test-helpers.js';

const ADMIN_CODE = 'ADMIN-UX-TEST-CODE-0123456789';

describe('admin lists with human references, and replacing a sender', () => {
  let t: TestApp;
  let admin: Record<string, string>;
  let customer: Record<string, string>;
  let referralCode: string;
  let sale: { orderId: string; email: string; orderNumber: number; userId: string; adbotId: string };

  async function buy(email: string, ref?: string) {
    const created = await checkout(t, { email, slug: 'bronze', currency: 'btc', ...(ref ? { ref } : {}) });
    expect(created.status).toBe(201);
    await t.api('POST', '/api/payment/simulate', { paymentId: created.body.paymentId, status: 'finished' });
    const order = await eventually(
      async () => {
        const [o] = await t.ctx.db.select().from(orders).where(eq(orders.id, created.body.orderId));
        return o?.status === 'fulfilled' ? o : null;
      },
      20_000,
      'fulfilment',
    );
    const [bot] = await t.ctx.db.select().from(adbots).where(eq(adbots.userId, order!.userId));
    return { orderId: order!.id, email, orderNumber: Number(order!.orderNumber), userId: order!.userId, adbotId: bot!.id };
  }

  beforeAll(async () => {
    t = await startTestApp({ env: { ADMIN_ACCESS_CODE: ADMIN_CODE, RATE_LIMIT_CHECKOUT_PER_MINUTE: '1000' } });
    const login = await t.api('POST', '/api/auth/login', { accessCode: ADMIN_CODE });
    admin = { authorization: `Bearer ${login.body.token}` };
    const r = await t.api('POST', '/api/admin/resellers', { email: freshEmail('ux-reseller'), commissionPercent: 10 }, admin);
    expect(r.status).toBe(201);
    referralCode = r.body.reseller.referralCode;
    sale = await buy(freshEmail('ux-buyer'), referralCode);
    const { signSessionToken } = await import('../accounts/tokens.js');
    customer = { authorization: `Bearer ${await signSessionToken({ id: sale.userId, role: 'customer' }, t.ctx.config.jwtSecret)}` };
  }, 60_000);
  afterAll(async () => t?.close());

  it('orders name the reseller a sale came through, in the list and the detail', async () => {
    const list = await t.api('GET', `/api/admin/orders?email=${encodeURIComponent(sale.email)}`, undefined, admin);
    expect(list.body.orders).toHaveLength(1);
    expect(list.body.orders[0]).toMatchObject({ orderNumber: sale.orderNumber, resellerCode: referralCode });
    const plain = await buy(freshEmail('ux-plain'));
    const other = await t.api('GET', `/api/admin/orders?email=${encodeURIComponent(plain.email)}`, undefined, admin);
    expect(other.body.orders[0].resellerCode).toBeNull();
    const detail = await t.api('GET', `/api/admin/orders/${sale.orderId}`, undefined, admin);
    expect(detail.body.order.resellerCode).toBe(referralCode);
  });

  it('stock says which customer (and order) a sender works for', async () => {
    const res = await t.api('GET', '/api/admin/senders?state=assigned&limit=100', undefined, admin);
    expect(res.status).toBe(200);
    const mine = res.body.senders.filter((s: any) => s.adbotId === sale.adbotId);
    expect(mine.length).toBeGreaterThan(0);
    expect(mine[0]).toMatchObject({ customerId: sale.userId, customerEmail: sale.email });
    expect(mine[0]).not.toHaveProperty('tokenEncrypted');
    const unused = await t.api('GET', '/api/admin/senders?state=unused&limit=1', undefined, admin);
    expect(unused.body.senders[0]).toMatchObject({ customerEmail: null, orderNumber: null });
  });

  it('activity subjects come with an order number and the customer, in one page, even for odd subject ids', async () => {
    await logActivity({ db: t.ctx.db, actorRole: 'system', action: 'test.odd_subject', subjectType: 'order', subjectId: 'not-a-uuid' });
    const res = await t.api('GET', '/api/admin/activity?action=payment.', undefined, admin);
    expect(res.status).toBe(200);
    const entry = res.body.entries.find((e: any) => e.subjectId === sale.orderId);
    expect(entry).toMatchObject({ subjectLabel: `#${sale.orderNumber}`, subjectEmail: sale.email });
    const odd = await t.api('GET', '/api/admin/activity?action=test.', undefined, admin);
    expect(odd.status).toBe(200);
    expect(odd.body.entries[0]).toMatchObject({ subjectId: 'not-a-uuid', subjectLabel: null, subjectEmail: null });
    const users_ = await t.api('GET', '/api/admin/activity?action=reseller.', undefined, admin);
    expect(users_.body.entries.some((e: any) => e.subjectType === 'reseller' && e.subjectLabel === referralCode)).toBe(true);
  });

  describe('POST /api/admin/senders/:id/replace', () => {
    it('is for admins only, and checks the id', async () => {
      const [s] = await t.ctx.db.select().from(senders).where(eq(senders.adbotId, sale.adbotId));
      expect((await t.api('POST', `/api/admin/senders/${s!.id}/replace`)).status).toBe(401);
      expect((await t.api('POST', `/api/admin/senders/${s!.id}/replace`, undefined, customer)).status).toBe(403);
      expect((await t.api('POST', '/api/admin/senders/nope/replace', undefined, admin)).status).toBe(400);
      expect((await t.api('POST', '/api/admin/senders/00000000-0000-4000-8000-000000000000/replace', undefined, admin)).status).toBe(404);
      const [after] = await t.ctx.db.select().from(senders).where(eq(senders.id, s!.id));
      expect(after!.state).toBe('assigned');
    });

    it('refuses a sender in stock (409) and changes nothing', async () => {
      const [u] = await t.ctx.db.select().from(senders).where(eq(senders.state, 'unused')).limit(1);
      const res = await t.api('POST', `/api/admin/senders/${u!.id}/replace`, undefined, admin);
      expect(res.status).toBe(409);
      expect(res.body.error?.message ?? JSON.stringify(res.body)).toContain('unused');
      expect((await t.ctx.db.select().from(senders).where(eq(senders.id, u!.id)))[0]!.state).toBe('unused');
    });

    it('bans an assigned sender and gives its bot one from stock, logged as the admin', async () => {
      const [s] = await t.ctx.db
        .select()
        .from(senders)
        .where(and(eq(senders.adbotId, sale.adbotId), eq(senders.state, 'assigned')));
      const before = await t.ctx.db
        .select()
        .from(senders)
        .where(and(eq(senders.adbotId, sale.adbotId), eq(senders.state, 'assigned')));
      const res = await t.api('POST', `/api/admin/senders/${s!.id}/replace`, undefined, admin);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ outcome: 'replaced', adbotId: sale.adbotId, replacement: { id: expect.any(String), username: expect.any(String) } });
      expect((await t.ctx.db.select().from(senders).where(eq(senders.id, s!.id)))[0]!.state).toBe('banned');
      const [replacement] = await t.ctx.db.select().from(senders).where(eq(senders.id, res.body.replacement.id));
      expect(replacement).toMatchObject({ state: 'assigned', adbotId: sale.adbotId });
      const after = await t.ctx.db
        .select()
        .from(senders)
        .where(and(eq(senders.adbotId, sale.adbotId), eq(senders.state, 'assigned')));
      expect(after).toHaveLength(before.length);
      const [log] = await t.ctx.db
        .select()
        .from(activityLog)
        .where(and(eq(activityLog.action, 'sender.replaced_by_admin'), eq(activityLog.subjectId, s!.id)));
      const [me] = await t.ctx.db.select().from(users).where(eq(users.role, 'admin')).limit(1);
      expect(log).toMatchObject({ actorRole: 'admin', actorUserId: me!.id });
      // Twice is a conflict, not a second replacement.
      expect((await t.api('POST', `/api/admin/senders/${s!.id}/replace`, undefined, admin)).status).toBe(409);
      const again = await t.ctx.db
        .select()
        .from(senders)
        .where(and(eq(senders.adbotId, sale.adbotId), eq(senders.state, 'assigned')));
      expect(again).toHaveLength(before.length);
    });
  });
});

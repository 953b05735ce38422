// Admin API: customers and bots, emails, the activity log and the overview.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { freshEmail } from '../../../test/factories/ids.js';
import type { Auth } from '../../../test/factories/sessions.js';
import { type AdminSuite, startAdminSuite } from '../../../test/helpers/admin-suite.js';
import type { TestApp } from '../../../test/helpers/test-app.js';
import { activityLog, adbots, emails, orders, plans, users } from '../../db/schema.js';
import { maskSecret } from '../../platform/notifications/mask-secret.js';

const ADMIN_CODE = 'ADMIN-CUSTOMERS-CODE-012345678';

describe('admin API', () => {
  let t: TestApp;
  let admin: Auth;
  let bought: AdminSuite['bought'];
  let login: AdminSuite['login'];
  let count: AdminSuite['count'];

  beforeAll(async () => {
    ({ t, admin, bought, login, count } = await startAdminSuite(ADMIN_CODE));
  }, 60_000);
  afterAll(async () => t?.close());

  describe('customers and bots', () => {
    it('lists customers with their bot, orders and spend, searchable by email', async () => {
      const res = await t.api('GET', `/api/admin/customers?q=${encodeURIComponent(bought.email)}`, undefined, admin);
      expect(res.status).toBe(200);
      expect(res.body.total).toBe(1);
      expect(res.body.customers[0]).toMatchObject({
        id: bought.userId,
        email: bought.email,
        banned: false,
        orders: 1,
        spentUsd: 30,
        adbot: { plan: 'Bronze', senders: 1, status: 'stopped' },
      });
      expect(JSON.stringify(res.body)).not.toMatch(/hash/i);
      const all = await t.api('GET', '/api/admin/customers?limit=200', undefined, admin);
      // Exactly the customer accounts: no admin, no reseller, none missing.
      const inDb = (await t.ctx.db.select({ id: users.id }).from(users).where(eq(users.role, 'customer'))).map((u) => u.id);
      expect(inDb.length).toBeGreaterThan(0);
      expect(all.body.total).toBe(inDb.length);
      expect(all.body.customers.map((c: any) => c.id).sort()).toEqual([...inDb].sort());
      const one = await t.api('GET', '/api/admin/customers?limit=1', undefined, admin);
      expect(one.body.customers).toHaveLength(1);
      expect(one.body.total).toBe(inDb.length);
      expect((await t.api('GET', '/api/admin/customers?limit=-3', undefined, admin)).status).toBe(400);
    });

    it('rotates an access code: shown once, the old one stops working, the new one logs in', async () => {
      const res = await t.api('POST', `/api/admin/customers/${bought.userId}/rotate-code`, {}, admin);
      expect(res.status).toBe(200);
      expect(res.body.accessCode).toMatch(/^HQ-/);
      expect(res.body.accessCode).not.toBe(bought.accessCode);
      expect((await login(bought.accessCode)).status).toBe(401);
      const fresh = await login(res.body.accessCode);
      expect(fresh.status).toBe(200);
      expect(fresh.body.role).toBe('customer');
      bought.accessCode = res.body.accessCode;
      const [adminUser] = await t.ctx.db.select().from(users).where(eq(users.role, 'admin'));
      expect((await t.api('POST', `/api/admin/customers/${adminUser!.id}/rotate-code`, {}, admin)).status).toBe(404);
      expect((await login(ADMIN_CODE)).status).toBe(200);
      expect((await t.api('POST', '/api/admin/customers/xyz/rotate-code', {}, admin)).status).toBe(400);
    });

    it('bans a customer (login 403, running bot stopped) and unbans them', async () => {
      await t.ctx.db.update(adbots).set({ status: 'running' }).where(eq(adbots.userId, bought.userId));
      const ban = await t.api('POST', `/api/admin/customers/${bought.userId}/ban`, {}, admin);
      expect(ban.status).toBe(200);
      expect(ban.body.customer).toMatchObject({ banned: true, botStopped: true });
      const denied = await login(bought.accessCode);
      expect(denied.status).toBe(403);
      const [bot] = await t.ctx.db.select().from(adbots).where(eq(adbots.userId, bought.userId));
      expect(bot!.status).toBe('stopped');
      const listed = await t.api('GET', `/api/admin/customers?q=${encodeURIComponent(bought.email)}`, undefined, admin);
      expect(listed.body.customers[0].banned).toBe(true);

      const unban = await t.api('POST', `/api/admin/customers/${bought.userId}/unban`, {}, admin);
      expect(unban.body.customer.banned).toBe(false);
      expect((await login(bought.accessCode)).status).toBe(200);
      const actions = (await t.ctx.db.select().from(activityLog).where(eq(activityLog.subjectId, bought.userId))).map((l) => l.action);
      expect(actions).toEqual(expect.arrayContaining(['customer.access_code_rotated', 'customer.banned', 'customer.unbanned']));
    });

    it('lists adbots by status and still edits them', async () => {
      const all = await t.api('GET', '/api/admin/adbots', undefined, admin);
      expect(all.status).toBe(200);
      const bot = all.body.adbots.find((b: any) => b.userId === bought.userId);
      expect(bot).toMatchObject({ email: bought.email, plan: 'Bronze', senders: 1, chats: 0 });
      const stopped = await t.api('GET', '/api/admin/adbots?status=suspended', undefined, admin);
      expect(stopped.body.adbots.map((b: any) => b.id)).not.toContain(bot.id);
      const patch = await t.api('PATCH', `/api/admin/adbots/${bot.id}`, { status: 'suspended' }, admin);
      expect(patch.status).toBe(200);
      const suspended = await t.api('GET', '/api/admin/adbots?status=suspended', undefined, admin);
      expect(suspended.body.adbots.map((b: any) => b.id)).toEqual([bot.id]);
      expect(suspended.body.total).toBe(1);
      expect((await t.api('GET', '/api/admin/adbots?status=flying', undefined, admin)).status).toBe(400);
      expect((await t.api('PATCH', `/api/admin/adbots/${bot.id}`, { status: 'flying' }, admin)).status).toBe(400);
      await t.api('PATCH', `/api/admin/adbots/${bot.id}`, { status: 'stopped' }, admin);
    });
  });

  describe('records and overview', () => {
    it('lists emails with their bodies, newest first, access codes masked', async () => {
      // No SMTP in tests: every email lands in the outbox once its job has run.
      await vi.waitFor(async () => expect(await t.ctx.db.select().from(emails).where(eq(emails.status, 'queued'))).toHaveLength(0), {
        timeout: 20_000,
        interval: 100,
      });
      const res = await t.api('GET', '/api/admin/emails?limit=5', undefined, admin);
      expect(res.status).toBe(200);
      expect(res.body.total).toBe(await count(emails));
      expect(res.body.emails).toHaveLength(Math.min(5, res.body.total));
      const mail = (await t.api('GET', '/api/admin/emails?limit=200', undefined, admin)).body.emails.find(
        (m: any) => m.to === bought.email && m.body.includes('Access code:'),
      );
      expect(mail.status).toBe('outbox');
      expect(mail.subject.length).toBeGreaterThan(3);
      // The code as first issued (bought.accessCode has been rotated since).
      const emailed = bought.firstAccessCode;
      expect(mail.body).toContain(`Access code: ${maskSecret(emailed)}`);
      expect(JSON.stringify(mail)).not.toContain(emailed);
      expect((await t.api('GET', '/api/admin/emails?status=lost', undefined, admin)).status).toBe(400);
    });

    it('lists the activity log with actors, filterable by action prefix', async () => {
      const res = await t.api('GET', '/api/admin/activity?action=customer.', undefined, admin);
      expect(res.status).toBe(200);
      expect(res.body.entries.length).toBeGreaterThanOrEqual(3);
      expect(res.body.entries.every((e: any) => e.action.startsWith('customer.') && e.actorRole === 'admin')).toBe(true);
      expect(res.body.entries[0].actorUserId).toBeTruthy();
      const page = await t.api('GET', '/api/admin/activity?limit=1', undefined, admin);
      expect(page.body.entries).toHaveLength(1);
      expect(page.body.total).toBeGreaterThan(5);
    });

    it('summarises revenue, bots, stock and posting', async () => {
      const res = await t.api('GET', '/api/admin/overview', undefined, admin);
      expect(res.status).toBe(200);
      const o = res.body;
      expect(o.revenueByDay).toHaveLength(30);
      // The sale's own UTC day, not the clock's: the run may cross 00:00 UTC between sale and overview.
      const [sold] = await t.ctx.db.select().from(orders).where(eq(orders.id, bought.orderId));
      const soldDay = sold!.fulfilledAt!.toISOString().slice(0, 10);
      expect(o.revenueByDay.at(-1).date >= soldDay).toBe(true);
      expect(o.revenueByDay.find((d: any) => d.date === soldDay)?.usd).toBeGreaterThanOrEqual(30);
      expect(o.revenueByPlan.find((p: any) => p.plan === 'Bronze')).toMatchObject({ orders: 1, usd: 30 });
      expect(o.postsByDay).toHaveLength(14);
      expect(o.postsByDay[0]).toEqual({ date: expect.any(String), sent: 0, failed: 0 });
      const stockTotal = Object.values(o.stock as Record<string, number>).reduce((a, b) => a + b, 0);
      expect(stockTotal).toBe(24);
      expect(o.stock.assigned).toBe(1);
      expect(typeof o.activeBots).toBe('number');
    });

    it("sums revenue past the 32-bit limit ($21.4M) exactly, in the overview and a customer's spend", async () => {
      const email = freshEmail('whale');
      const [whale] = await t.ctx.db.insert(users).values({ email }).returning();
      const [plan] = await t.ctx.db.select().from(plans).where(eq(plans.slug, 'bronze'));
      const now = new Date();
      const big = {
        userId: whale!.id,
        planId: plan!.id,
        kind: 'new' as const,
        planSlug: 'whale',
        planName: 'Whale',
        priceCents: 999_999_999,
        senders: 1,
        postingIntervalSeconds: 60,
        validityDays: 30,
        sendersToReserve: 0,
        status: 'fulfilled' as const,
        payCurrency: 'btc',
        paidAt: now,
        fulfilledAt: now,
      };
      await t.ctx.db.insert(orders).values([big, big, big]);
      const res = await t.api('GET', '/api/admin/overview', undefined, admin);
      expect(res.status).toBe(200);
      expect(res.body.revenueByPlan.find((p: any) => p.plan === 'Whale')).toEqual({ plan: 'Whale', usd: 29_999_999.97, orders: 3 });
      expect(res.body.revenueByDay.find((d: any) => d.date === now.toISOString().slice(0, 10))?.usd).toBeGreaterThan(29_999_999.97);
      expect(res.body.revenue30dUsd).toBeGreaterThan(29_999_999.97);
      const customers = await t.api('GET', `/api/admin/customers?q=${encodeURIComponent(email)}`, undefined, admin);
      expect(customers.status).toBe(200);
      expect(customers.body.customers[0]).toMatchObject({ id: whale!.id, orders: 3, spentUsd: 29_999_999.97 });
    });
  });
});

// Admin API: every route refuses anonymous, customer and reseller callers; plans.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshEmail } from '../../../test/factories/ids.js';
import { checkout } from '../../../test/factories/orders.js';
import type { Auth } from '../../../test/factories/sessions.js';
import { type AdminSuite, startAdminSuite } from '../../../test/helpers/admin-suite.js';
import type { TestApp } from '../../../test/helpers/test-app.js';
import { activityLog, adbots, payments, plans, senders } from '../../db/schema.js';

const ADMIN_CODE = 'ADMIN-TEST-CODE-0123456789';

describe('admin API: access and plans', () => {
  let t: TestApp;
  let admin: Auth;
  let customer: Auth;
  let reseller: Auth;
  let bought: AdminSuite['bought'];
  let login: AdminSuite['login'];
  let count: AdminSuite['count'];

  beforeAll(async () => {
    ({ t, admin, customer, reseller, bought, login, count } = await startAdminSuite(ADMIN_CODE));
  }, 60_000);
  afterAll(async () => t?.close());

  it('refuses every admin route without a session (401) and to a customer or reseller (403), changing nothing', async () => {
    const id = '00000000-0000-4000-8000-000000000000';
    const [bot] = await t.ctx.db.select().from(adbots).where(eq(adbots.userId, bought.userId));
    const routes: [string, string, unknown?][] = [
      ['GET', '/api/admin/overview'],
      ['GET', '/api/admin/products'],
      ['POST', '/api/admin/products', { slug: 'x', name: 'X', planType: 'starter', priceUsd: 1, senders: 1, postingIntervalSeconds: 60, validityDays: 30 }],
      ['PATCH', `/api/admin/products/${id}`, { active: false }],
      ['GET', '/api/admin/orders'],
      ['GET', `/api/admin/orders/${id}`],
      ['GET', '/api/admin/payment-events'],
      ['POST', `/api/admin/payment-events/${id}/replay`, {}],
      ['GET', '/api/admin/customers'],
      ['POST', `/api/admin/customers/${bought.userId}/rotate-code`, {}],
      ['POST', `/api/admin/customers/${bought.userId}/ban`, {}],
      ['POST', `/api/admin/customers/${bought.userId}/unban`, {}],
      ['GET', '/api/admin/adbots'],
      ['PATCH', `/api/admin/adbots/${bot!.id}`, { status: 'suspended' }],
      ['POST', `/api/admin/orders/${bought.orderId}/fulfil`, {}],
      ['POST', `/api/admin/orders/${bought.orderId}/refund`, {}],
      ['GET', '/api/admin/senders'],
      ['POST', '/api/admin/senders', { tokens: ['123456:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'] }],
      ['GET', '/api/admin/emails'],
      ['GET', '/api/admin/activity'],
    ];
    const plansBefore = await count(plans);
    const logBefore = await count(activityLog);
    const sendersBefore = await count(senders);
    for (const [method, path, body] of routes) {
      expect((await t.api(method, path, body)).status, `${method} ${path} anonymous`).toBe(401);
      expect((await t.api(method, path, body, customer)).status, `${method} ${path} as customer`).toBe(403);
      expect((await t.api(method, path, body, reseller)).status, `${method} ${path} as reseller`).toBe(403);
    }
    expect(await count(plans)).toBe(plansBefore);
    expect(await count(activityLog)).toBe(logBefore);
    expect(await count(senders)).toBe(sendersBefore);
    const [botAfter] = await t.ctx.db.select().from(adbots).where(eq(adbots.id, bot!.id));
    expect(botAfter).toEqual(bot);
    expect((await login(bought.accessCode)).status).toBe(200);
  });

  describe('plans', () => {
    const valid = { slug: 'platinum', name: 'Platinum', planType: 'enterprise', priceUsd: 1234.5, senders: 4, postingIntervalSeconds: 45, validityDays: 60 };

    it('creates a plan that the pricing page lists, with the price in exact cents', async () => {
      const res = await t.api('POST', '/api/admin/products', valid, admin);
      expect(res.status).toBe(201);
      expect(res.body.product).toMatchObject({ ...valid, active: true });
      const [row] = await t.ctx.db.select().from(plans).where(eq(plans.slug, 'platinum'));
      expect(row!.priceCents).toBe(123450);
      const pub = await t.api('GET', '/api/products');
      expect(pub.body.products.find((p: any) => p.slug === 'platinum')).toMatchObject({
        priceUsd: 1234.5,
        senders: 4,
        postingIntervalSeconds: 45,
        validityDays: 60,
      });
      const log = await t.ctx.db.select().from(activityLog).where(eq(activityLog.subjectId, row!.id));
      expect(log.map((l) => l.action)).toEqual(['plan.created']);
    });

    it('rejects bad plans with a 400 that names the field, and creates nothing', async () => {
      const before = await count(plans);
      const bad: [Record<string, unknown>, string][] = [
        [{ ...valid, slug: 'p1', priceUsd: 10.999 }, 'priceUsd'],
        [{ ...valid, slug: 'p2', priceUsd: '12,50' }, 'priceUsd'],
        [{ ...valid, slug: 'p3', priceUsd: 0 }, 'priceUsd'],
        [{ ...valid, slug: 'p4', senders: 0 }, 'senders'],
        [{ ...valid, slug: 'p5', senders: 101 }, 'senders'],
        [{ ...valid, slug: 'p6', postingIntervalSeconds: 9 }, 'postingIntervalSeconds'],
        [{ ...valid, slug: 'p7', postingIntervalSeconds: 86_401 }, 'postingIntervalSeconds'],
        [{ ...valid, slug: 'p8', validityDays: 366 }, 'validityDays'],
        [{ ...valid, slug: 'p9', validityDays: 1.5 }, 'validityDays'],
        [{ ...valid, slug: 'Bad Slug' }, 'slug'],
        [{ ...valid, slug: 'p10', planType: 'gold' }, 'planType'],
        [{ ...valid, slug: 'p11', name: '' }, 'name'],
        [{ ...valid, slug: 'p12', priceCents: 100 }, 'priceCents'],
      ];
      for (const [body, field] of bad) {
        const res = await t.api('POST', '/api/admin/products', body, admin);
        expect(res.status, JSON.stringify(body)).toBe(400);
        expect(res.body.error.message).toContain(field);
      }
      expect((await t.api('POST', '/api/admin/products', 'not json', { ...admin, 'content-type': 'application/json' })).status).toBe(400);
      const dup = await t.api('POST', '/api/admin/products', { ...valid, name: 'Again' }, admin);
      expect(dup.status).toBe(409);
      expect(await count(plans)).toBe(before);
    });

    it('edits a plan for new sales only: the pricing page changes, sold orders keep their snapshot', async () => {
      const [silver] = await t.ctx.db.select().from(plans).where(eq(plans.slug, 'silver'));
      const pending = await checkout(t, { email: freshEmail('snap'), slug: 'silver', currency: 'btc' });
      expect(pending.status).toBe(201);

      const res = await t.api('PATCH', `/api/admin/products/${silver!.id}`, { priceUsd: '57.25', postingIntervalSeconds: 1500 }, admin);
      expect(res.status).toBe(200);
      expect(res.body.product).toMatchObject({ slug: 'silver', priceUsd: 57.25, postingIntervalSeconds: 1500, active: true });
      const pub = await t.api('GET', '/api/products');
      expect(pub.body.products.find((p: any) => p.slug === 'silver')).toMatchObject({ priceUsd: 57.25, postingIntervalSeconds: 1500 });

      const detail = await t.api('GET', `/api/admin/orders/${pending.body.orderId}`, undefined, admin);
      expect(detail.body.order).toMatchObject({ priceUsd: 55, postingIntervalSeconds: 1800 });
      const [pay] = await t.ctx.db.select().from(payments).where(eq(payments.orderId, pending.body.orderId));
      expect(pay!.priceCents).toBe(5500);
    });

    it('rejects bad edits with 400/404/409 and leaves the plan as it was', async () => {
      const [gold] = await t.ctx.db.select().from(plans).where(eq(plans.slug, 'gold'));
      for (const body of [{}, { priceUsd: 1.001 }, { senders: 0 }, { active: 'no' }, { postingIntervalSeconds: 5 }, { id: gold!.id }]) {
        const res = await t.api('PATCH', `/api/admin/products/${gold!.id}`, body, admin);
        expect(res.status, JSON.stringify(body)).toBe(400);
      }
      expect((await t.api('PATCH', '/api/admin/products/not-an-id', { active: false }, admin)).status).toBe(400);
      expect((await t.api('PATCH', '/api/admin/products/00000000-0000-4000-8000-000000000000', { active: false }, admin)).status).toBe(404);
      expect((await t.api('PATCH', `/api/admin/products/${gold!.id}`, { slug: 'bronze' }, admin)).status).toBe(409);
      const [after] = await t.ctx.db.select().from(plans).where(eq(plans.id, gold!.id));
      expect(after).toEqual(gold);
    });

    it('deactivates a plan: gone from the pricing page and from checkout, still listed for admins', async () => {
      const [elite] = await t.ctx.db.select().from(plans).where(eq(plans.slug, 'elite'));
      const res = await t.api('PATCH', `/api/admin/products/${elite!.id}`, { active: false }, admin);
      expect(res.status).toBe(200);
      expect(res.body.product.active).toBe(false);
      expect((await t.api('GET', '/api/products')).body.products.map((p: any) => p.slug)).not.toContain('elite');
      const list = await t.api('GET', '/api/admin/products', undefined, admin);
      expect(list.body.products.find((p: any) => p.slug === 'elite')).toMatchObject({ active: false, priceUsd: 899 });
      const buy = await checkout(t, { email: freshEmail('elite'), slug: 'elite', currency: 'btc' });
      expect(buy.status).toBeGreaterThanOrEqual(400);
      expect(buy.status).toBeLessThan(500);
      const log = await t.ctx.db.select().from(activityLog).where(eq(activityLog.subjectId, elite!.id));
      expect(log.map((l) => l.action)).toContain('plan.deactivated');
      await t.api('PATCH', `/api/admin/products/${elite!.id}`, { active: true }, admin);
      expect((await t.api('GET', '/api/products')).body.products.map((p: any) => p.slug)).toContain('elite');
    });
  });
});

// Resellers through the admin API: creation, codes, validation, attribution, and who may call.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshEmail } from '../../../test/factories/ids.js';
import { checkout } from '../../../test/factories/orders.js';
import { type Auth, tokenFor } from '../../../test/factories/sessions.js';
import { type ResellerSuite, startResellerSuite } from '../../../test/helpers/reseller-suite.js';
import type { TestApp } from '../../../test/helpers/test-app.js';
import { activityLog, orders, resellers, users } from '../../db/schema.js';

const ADMIN_CODE = 'ADMIN-RESELLER-TEST-CODE-1234';

describe('resellers: admin API, attribution, access', () => {
  let t: TestApp;
  let admin: Auth;
  let suite: ResellerSuite;
  const login = (accessCode: string) => suite.login(accessCode);
  const newReseller = (body?: Record<string, unknown>) => suite.newReseller(body);
  const counts = () => suite.counts();
  const seq = () => suite.seq();

  beforeAll(async () => {
    suite = await startResellerSuite(ADMIN_CODE);
    ({ t, admin } = suite);
  });
  afterAll(async () => t?.close());

  it('matches a referral code in any case, and keeps a customer with the reseller who first brought them', async () => {
    const first = await newReseller({ referralCode: `First${seq()}x` });
    const second = await newReseller({ referralCode: `Second${seq()}x` });
    const email = freshEmail('lifetime');
    const a = await checkout(t, { email, slug: 'bronze', currency: 'btc', ref: first.reseller.referralCode.toLowerCase() });
    expect(a.status).toBe(201);
    const b = await checkout(t, { email, slug: 'bronze', currency: 'eth', ref: second.reseller.referralCode });
    expect(b.status).toBe(201);
    const rows = await t.ctx.db.select({ id: orders.id, resellerId: orders.resellerId }).from(orders).where(eq(orders.id, a.body.orderId));
    const rows2 = await t.ctx.db.select({ id: orders.id, resellerId: orders.resellerId }).from(orders).where(eq(orders.id, b.body.orderId));
    expect(rows[0]!.resellerId).toBe(first.reseller.id);
    expect(rows2[0]!.resellerId).toBe(first.reseller.id);
  });

  it('creates a reseller whose one-time code logs in as a reseller; the code is not stored in plain text', async () => {
    const res = await t.api(
      'POST',
      '/api/admin/resellers',
      { email: '  Partner.One@Example.com ', commissionPercent: 12.5, referralCode: 'PartnerOne' },
      admin,
    );
    expect(res.status).toBe(201);
    expect(res.body.reseller).toEqual({
      id: expect.any(String),
      email: 'partner.one@example.com',
      referralCode: 'PartnerOne',
      commissionPercent: 12.5,
      active: true,
      customers: 0,
      earnedUsd: 0,
      paidUsd: 0,
      dueUsd: 0,
      createdAt: expect.any(String),
    });
    expect(res.body.accessCode).toMatch(/^HQ-/);
    const [row] = await t.ctx.db.select().from(resellers).where(eq(resellers.id, res.body.reseller.id));
    expect(row!.commissionBps).toBe(1250);
    const [user] = await t.ctx.db.select().from(users).where(eq(users.id, row!.userId));
    expect(user!.role).toBe('reseller');
    expect(JSON.stringify(user)).not.toContain(res.body.accessCode);

    const session = await login(res.body.accessCode);
    expect(session.role).toBe('reseller');
    const me = await t.api('GET', '/api/reseller/me', undefined, session.auth);
    expect(me.status).toBe(200);
    expect(me.body).toEqual({
      email: 'partner.one@example.com',
      referralCode: 'PartnerOne',
      referralLink: `${t.ctx.config.publicUrl}/?ref=PartnerOne`,
      commissionPercent: 12.5,
      active: true,
      earnedUsd: 0,
      paidUsd: 0,
      dueUsd: 0,
      customers: 0,
      orders: 0,
    });

    const list = await t.api('GET', '/api/admin/resellers', undefined, admin);
    expect(list.status).toBe(200);
    expect(list.body.resellers.map((r: any) => r.referralCode)).toContain('PartnerOne');
    const [logged] = await t.ctx.db.select().from(activityLog).where(eq(activityLog.subjectId, res.body.reseller.id));
    expect(logged!.action).toBe('reseller.created');
    expect(JSON.stringify(logged!.details)).not.toContain(res.body.accessCode);
  });

  it('generates a referral code when none is given', async () => {
    const { reseller } = await newReseller();
    expect(reseller.referralCode).toMatch(/^[a-z2-9]{8}$/);
  });

  it('refuses a taken email or referral code (case-insensitive) with 409 and creates nothing', async () => {
    const { reseller } = await newReseller({ referralCode: 'TakenCode' });
    const customerEmail = freshEmail('existing');
    await t.ctx.db.insert(users).values({ email: customerEmail });
    const before = await counts();
    for (const body of [
      { email: reseller.email, commissionPercent: 5 },
      { email: customerEmail.toUpperCase(), commissionPercent: 5 },
      { email: freshEmail('new'), commissionPercent: 5, referralCode: 'takencode' },
    ]) {
      const res = await t.api('POST', '/api/admin/resellers', body, admin);
      expect(res.status, JSON.stringify(body)).toBe(409);
      expect(res.body.error.code).toBe('conflict');
    }
    expect(await counts()).toEqual(before);
  });

  it('rejects bad input with 400 and changes nothing', async () => {
    const { reseller } = await newReseller();
    const before = await counts();
    const badCreates = [
      {},
      { email: 'not-an-email', commissionPercent: 10 },
      { email: freshEmail(), commissionPercent: 0 },
      { email: freshEmail(), commissionPercent: -5 },
      { email: freshEmail(), commissionPercent: 90.01 },
      { email: freshEmail(), commissionPercent: 10.123 },
      { email: freshEmail(), commissionPercent: '10' },
      { email: freshEmail(), commissionPercent: 1e-10 },
      { email: freshEmail(), commissionPercent: 0.001 },
      { email: freshEmail(), commissionPercent: 10, referralCode: 'ab' },
      { email: freshEmail(), commissionPercent: 10, referralCode: 'no spaces' },
      { email: freshEmail(), commissionPercent: 10, referralCode: 'x'.repeat(33) },
      { email: freshEmail(), commissionPercent: 10, extra: true },
    ];
    for (const body of badCreates) {
      const res = await t.api('POST', '/api/admin/resellers', body, admin);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('validation_error');
      expect(res.body.error.message.length).toBeGreaterThan(3);
    }
    for (const body of [
      {},
      { commissionPercent: 95 },
      { commissionPercent: 0 },
      { active: 'yes' },
      { commissionPercent: 1.001 },
      { commissionPercent: 1e-10 },
    ]) {
      const res = await t.api('PATCH', `/api/admin/resellers/${reseller.id}`, body, admin);
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    expect((await t.api('PATCH', '/api/admin/resellers/not-a-uuid', { active: false }, admin)).status).toBe(400);
    expect((await t.api('PATCH', '/api/admin/resellers/00000000-0000-4000-8000-000000000000', { active: false }, admin)).status).toBe(404);
    for (const body of [
      {},
      { amountUsd: 0 },
      { amountUsd: '0.00' },
      { amountUsd: 1e-10 },
      { amountUsd: 0.001 },
      { amountUsd: -1 },
      { amountUsd: 1.005 },
      { amountUsd: '5x' },
      { amountUsd: 1_000_000.01 },
      { amountUsd: 1, note: 'x'.repeat(501) },
    ]) {
      const res = await t.api('POST', `/api/admin/resellers/${reseller.id}/payouts`, body, admin);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.message.length, JSON.stringify(body)).toBeGreaterThan(3);
    }
    expect((await t.api('POST', '/api/admin/resellers/00000000-0000-4000-8000-000000000000/payouts', { amountUsd: 1 }, admin)).status).toBe(404);
    expect((await t.api('POST', '/api/admin/resellers', 'not json{', { ...admin, 'content-type': 'application/json' })).status).toBe(400);
    expect(await counts()).toEqual(before);
  });

  it('answers 401 without a session and 403 to the wrong role', async () => {
    const r = await newReseller();
    const [customer] = await t.ctx.db
      .insert(users)
      .values({ email: freshEmail('plain') })
      .returning();
    const customerAuth = { authorization: `Bearer ${await tokenFor(t.ctx, customer!.id)}` };
    const adminRoutes: [string, string, unknown?][] = [
      ['GET', '/api/admin/resellers'],
      ['POST', '/api/admin/resellers', { email: freshEmail(), commissionPercent: 10 }],
      ['PATCH', `/api/admin/resellers/${r.reseller.id}`, { active: false }],
      ['POST', `/api/admin/resellers/${r.reseller.id}/payouts`, { amountUsd: 1 }],
    ];
    const resellerRoutes: [string, string][] = [
      ['GET', '/api/reseller/me'],
      ['GET', '/api/reseller/customers'],
      ['GET', '/api/reseller/orders'],
      ['GET', '/api/reseller/payouts'],
    ];
    const before = await counts();
    for (const [method, path, body] of [...adminRoutes, ...resellerRoutes]) {
      expect((await t.api(method, path, body)).status, `${method} ${path}`).toBe(401);
      expect((await t.api(method, path, body, customerAuth)).status, `${method} ${path}`).toBe(403);
    }
    for (const [method, path, body] of adminRoutes) {
      expect((await t.api(method, path, body, r.auth)).status, `${method} ${path} as reseller`).toBe(403);
    }
    for (const [method, path] of resellerRoutes) {
      expect((await t.api(method, path, undefined, admin)).status, `${method} ${path} as admin`).toBe(403);
    }
    expect(await counts()).toEqual(before);
  });
});

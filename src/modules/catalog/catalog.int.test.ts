import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { setStock } from '../../../test/factories/stock.js';
import { startTestApp, type TestApp } from '../../../test/helpers/test-app.js';
import { plans, senders } from '../../db/schema.js';
import { PRODUCTS_MAX_STALE_MS } from './catalog-generation.js';
import { seedCatalog } from './seed-catalog.js';

// A change written straight to the database (as another process, or the clock, would make
// it) shows once the staleness bound has passed: polled rather than slept, with room to spare.
const withinBound = { timeout: PRODUCTS_MAX_STALE_MS * 10, interval: 100 };

describe('catalog', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t?.close());

  it('serves the seven plans of the spec with their exact prices, accounts and intervals', async () => {
    const res = await t.api('GET', '/api/products');
    expect(res.status).toBe(200);
    const rows = res.body.products.map((p: any) => [p.slug, p.name, p.planType, p.priceUsd, p.senders, p.postingIntervalSeconds, p.validityDays]);
    expect(rows).toEqual([
      ['bronze', 'Bronze', 'starter', 30, 1, 3600, 30],
      ['silver', 'Silver', 'starter', 55, 2, 1800, 30],
      ['gold', 'Gold', 'starter', 80, 3, 1200, 30],
      ['diamond', 'Diamond', 'starter', 160, 6, 600, 30],
      ['basic', 'Basic', 'enterprise', 199, 3, 900, 30],
      ['pro', 'Pro', 'enterprise', 450, 7, 420, 30],
      ['elite', 'Elite', 'enterprise', 899, 15, 120, 30],
    ]);
    for (const p of res.body.products) expect(p.id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('seeds only once, and never overwrites an edited plan', async () => {
    await t.ctx.db.update(plans).set({ priceCents: 3100 }).where(eq(plans.slug, 'bronze'));
    await seedCatalog({ db: t.ctx.db });
    await seedCatalog({ db: t.ctx.db });
    const all = await t.ctx.db.select().from(plans);
    expect(all).toHaveLength(7);
    expect(all.find((p) => p.slug === 'bronze')?.priceCents).toBe(3100);
  });

  it('reflects a price changed in the database within the staleness bound, with no rebuild', async () => {
    await t.ctx.db.update(plans).set({ priceCents: 5999 }).where(eq(plans.slug, 'silver'));
    await vi.waitFor(async () => {
      const res = await t.api('GET', '/api/products');
      expect(res.body.products.find((p: any) => p.slug === 'silver').priceUsd).toBe(59.99);
    }, withinBound);
  });

  it('hides deactivated plans', async () => {
    await t.ctx.db.update(plans).set({ active: false }).where(eq(plans.slug, 'elite'));
    await vi.waitFor(async () => {
      const res = await t.api('GET', '/api/products');
      expect(res.body.products.map((p: any) => p.slug)).not.toContain('elite');
    }, withinBound);
    await t.ctx.db.update(plans).set({ active: true }).where(eq(plans.slug, 'elite'));
  });

  it('marks plans sold out from the stock a purchase could really take (not in a flood wait)', async () => {
    const available = async () => Object.fromEntries((await t.api('GET', '/api/products')).body.products.map((p: any) => [p.slug, p.available]));
    const ids = await setStock(t.ctx, 2);
    await vi.waitFor(async () => expect(await available()).toMatchObject({ bronze: true, silver: true, gold: false }), withinBound);
    await t.ctx.db
      .update(senders)
      .set({ frozenUntil: new Date(Date.now() + 60_000) })
      .where(eq(senders.id, ids[0]!));
    await vi.waitFor(async () => expect(await available()).toMatchObject({ bronze: true, silver: false }), withinBound);
    await t.ctx.db.update(senders).set({ frozenUntil: null }).where(eq(senders.id, ids[0]!));
  });

  it('reports health with the database kind', async () => {
    const res = await t.api('GET', '/api/health');
    expect(res.body).toEqual({ ok: true, database: process.env.DATABASE_URL ? 'postgres' : 'embedded' });
  });

  it('answers unknown API routes with a JSON 404', async () => {
    const res = await t.api('GET', '/api/nope');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
  });
});

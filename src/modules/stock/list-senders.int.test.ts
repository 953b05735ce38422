import { eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addStock } from '../../../test/factories/stock.js';
import { startTestApp, type TestApp } from '../../../test/helpers/test-app.js';
import { senders, users } from '../../db/schema.js';
import { signSessionToken } from '../accounts/tokens.js';

describe('GET /api/admin/senders pages on the server', () => {
  let t: TestApp;
  let admin: Record<string, string>;

  beforeAll(async () => {
    t = await startTestApp();
    const [a] = await t.ctx.db.select().from(users).where(eq(users.role, 'admin'));
    admin = { authorization: `Bearer ${await signSessionToken({ id: a!.id, role: 'admin' }, t.ctx.config.jwtSecret)}` };
    // 24 seeded + 130: past the default page of 100.
    const ids = await addStock(t.ctx, 130);
    await t.ctx.db
      .update(senders)
      .set({ state: 'frozen' })
      .where(inArray(senders.id, ids.slice(0, 7)));
  });
  afterAll(async () => t?.close());

  it('defaults to 100 with the total and the whole-stock counts', async () => {
    const res = await t.api('GET', '/api/admin/senders', undefined, admin);
    expect(res.status).toBe(200);
    expect(res.body.senders).toHaveLength(100);
    expect(res.body.total).toBe(154);
    expect(res.body.counts).toEqual({ unused: 147, reserved: 0, assigned: 0, frozen: 7, banned: 0 });
    expect(JSON.stringify(res.body)).not.toMatch(/token/i);
  });

  it('walks pages without gaps or repeats, and filters the total by state', async () => {
    const seen: string[] = [];
    for (let offset = 0; offset < 154; offset += 60) {
      const res = await t.api('GET', `/api/admin/senders?limit=60&offset=${offset}`, undefined, admin);
      expect(res.body.total).toBe(154);
      seen.push(...res.body.senders.map((s: any) => s.id));
    }
    expect(seen).toHaveLength(154);
    expect(new Set(seen).size).toBe(154);
    const all = await t.api('GET', '/api/admin/senders?limit=500', undefined, admin);
    expect(all.body.senders.map((s: any) => s.id)).toEqual(seen);

    const frozen = await t.api('GET', '/api/admin/senders?state=frozen&limit=5', undefined, admin);
    expect(frozen.body.senders).toHaveLength(5);
    expect(frozen.body.senders.every((s: any) => s.state === 'frozen')).toBe(true);
    expect(frozen.body.total).toBe(7);
    expect(frozen.body.counts.unused).toBe(147);
  });

  it('refuses a bad page with 400 and a message', async () => {
    for (const q of ['limit=0', 'limit=501', 'limit=x', 'offset=-1', 'offset=1.5']) {
      const res = await t.api('GET', `/api/admin/senders?${q}`, undefined, admin);
      expect(res.status, q).toBe(400);
      expect(res.body.error.message, q).toMatch(/limit|offset/);
    }
  });
});

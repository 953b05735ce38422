import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeTelegram, startFakeTelegram } from '../../../test/fakes/telegram.js';
import { startTestApp, type TestApp } from '../../../test/helpers/test-app.js';
import { senders, users } from '../../db/schema.js';
import { onStartup } from '../../startup.js';
import { signSessionToken } from '../accounts/tokens.js';
import { getSenderToken } from './get-sender-token.js';
import { seedSandboxSenders } from './seed-sandbox-senders.js';

const tok = (id: number, fill: string) => `${id}:${fill.repeat(35)}`;
const ALPHA = tok(5001, 'a');
const BRAVO = tok(5002, 'b');
const ALPHA_AGAIN = tok(5001, 'z'); // a new token for the same bot (after a /revoke)
const UNKNOWN = tok(5003, 'c');

describe('sender stock', () => {
  let tg: FakeTelegram;
  let t: TestApp;
  let adminAuth: Record<string, string>;
  let customerAuth: Record<string, string>;

  // Sent by adding stock, not by the minute cron (which a slow run can cross).
  const backorderJobs = async () => {
    const { rows } = await t.ctx.database.executor.executeSql(
      `select count(*)::int as n from pgboss.job where name = 'fulfil-backorders' and data->>'sentAt' is distinct from 'cron'`,
      [],
    );
    return Number(rows[0]!.n);
  };
  const senderCount = async () => (await t.ctx.db.select({ n: sql<number>`count(*)::int` }).from(senders))[0]!.n;

  beforeAll(async () => {
    tg = await startFakeTelegram();
    tg.addBot(ALPHA, { id: 5001, username: 'alpha_bot' });
    tg.addBot(ALPHA_AGAIN, { id: 5001, username: 'alpha_bot' });
    tg.addBot(BRAVO, { id: 5002, username: 'bravo_bot' });
    t = await startTestApp({ env: { TELEGRAM_API_ROOT: tg.url } });
    const [admin] = await t.ctx.db.select().from(users).where(eq(users.role, 'admin'));
    const [customer] = await t.ctx.db.insert(users).values({ email: 'buyer@example.com' }).returning();
    const bearer = async (u: { id: string; role: 'admin' | 'customer' }) => ({
      authorization: `Bearer ${await signSessionToken(u, t.ctx.config.jwtSecret)}`,
    });
    adminAuth = await bearer({ id: admin!.id, role: 'admin' });
    customerAuth = await bearer({ id: customer!.id, role: 'customer' });
  });
  afterAll(async () => {
    await t?.close();
    await tg?.close();
  });

  it('seeds 24 sandbox senders once in test mode, so every plan is available', async () => {
    expect(await senderCount()).toBe(24);
    await onStartup(t.ctx);
    expect(await seedSandboxSenders({ ctx: t.ctx })).toBe(0);
    expect(await senderCount()).toBe(24);
    const rows = await t.ctx.db.select().from(senders);
    expect(rows.every((r) => r.isSandbox && r.state === 'unused')).toBe(true);
    expect(rows.map((r) => r.username).sort()[0]).toBe('hqadz_demo_01_bot');

    const products = await t.api('GET', '/api/products');
    expect(products.body.products).toHaveLength(7);
    for (const p of products.body.products) expect(p.available, p.slug).toBe(true);
  });

  it('does not seed outside test mode', async () => {
    const live = { ...t.ctx, config: { ...t.ctx.config, testMode: false } };
    await t.ctx.db.delete(senders);
    expect(await seedSandboxSenders({ ctx: live })).toBe(0);
    expect(await senderCount()).toBe(0);
    expect(await seedSandboxSenders({ ctx: t.ctx })).toBe(24);
  });

  it('is admin only', async () => {
    expect((await t.api('GET', '/api/admin/senders')).status).toBe(401);
    expect((await t.api('GET', '/api/admin/senders', undefined, customerAuth)).status).toBe(403);
    expect((await t.api('POST', '/api/admin/senders', { tokens: [ALPHA] })).status).toBe(401);
    expect((await t.api('POST', '/api/admin/senders', { tokens: [ALPHA] }, customerAuth)).status).toBe(403);
    expect(await senderCount()).toBe(24);
  });

  it('answers bad bodies with 400 and changes nothing', async () => {
    const bodies = [
      undefined,
      {},
      { tokens: [] },
      { tokens: ALPHA },
      { tokens: [42] },
      { tokens: ['x'.repeat(201)] },
      { tokens: Array.from({ length: 501 }, (_, i) => `sandbox:bulk_${i}`) },
    ];
    for (const body of bodies) {
      const res = await t.api('POST', '/api/admin/senders', body ?? '', { ...adminAuth, 'content-type': 'application/json' });
      expect(res.status, JSON.stringify(body)?.slice(0, 60)).toBe(400);
      expect(res.body.error.message).toBeTruthy();
    }
    expect(await senderCount()).toBe(24);
    expect((await t.api('GET', '/api/admin/senders?state=bogus', undefined, adminAuth)).status).toBe(400);
  });

  it('adds valid tokens, rejects the rest with a reason, stores tokens encrypted, enqueues back-orders', async () => {
    const jobsBefore = await backorderJobs();
    const res = await t.api(
      'POST',
      '/api/admin/senders',
      { tokens: [ALPHA, ` ${BRAVO} `, UNKNOWN, 'not-a-token', 'sandbox:hqadz_demo_01', ALPHA, ALPHA_AGAIN, 'sandbox:extra_one'] },
      adminAuth,
    );
    expect(res.status).toBe(200);
    expect(res.body.added).toBe(3);
    expect(res.body.senders.map((s: any) => s.username).sort()).toEqual(['alpha_bot', 'bravo_bot', 'extra_one_bot']);
    for (const s of res.body.senders) expect(s.id).toMatch(/^[0-9a-f-]{36}$/);

    const reasons = Object.fromEntries(res.body.rejected.map((r: any) => [r.token, r.reason]));
    expect(res.body.rejected).toHaveLength(5);
    expect(reasons['5003…cccc']).toMatch(/Telegram rejected/);
    expect(reasons['no…']).toMatch(/Not a bot token/);
    expect(reasons['sand…o_01']).toMatch(/already in stock/);
    expect(reasons['5001…aaaa']).toMatch(/twice/);
    expect(reasons['5001…zzzz']).toMatch(/@alpha_bot is already in stock/);

    const text = JSON.stringify(res.body);
    for (const token of [ALPHA, BRAVO, UNKNOWN, ALPHA_AGAIN]) expect(text).not.toContain(token.slice(8));

    const [alpha] = await t.ctx.db.select().from(senders).where(eq(senders.username, 'alpha_bot'));
    expect(alpha!.telegramBotId).toBe(5001n);
    expect(alpha!.isSandbox).toBe(false);
    expect(alpha!.state).toBe('unused');
    expect(alpha!.tokenEncrypted).not.toContain(ALPHA.slice(5));
    expect(await getSenderToken({ ctx: t.ctx, senderId: alpha!.id })).toBe(ALPHA);

    expect(await backorderJobs()).toBe(jobsBefore + 1);
    // Nothing added → nothing to fulfil.
    const none = await t.api('POST', '/api/admin/senders', { tokens: [ALPHA, UNKNOWN] }, adminAuth);
    expect(none.body).toMatchObject({ added: 0, senders: [] });
    expect(none.body.rejected).toHaveLength(2);
    expect(await backorderJobs()).toBe(jobsBefore + 1);
  });

  it('reports Telegram being down as a per-token reason, not a 5xx', async () => {
    const gone = tok(5004, 'd');
    tg.addBot(gone, { id: 5004, username: 'delta_bot' });
    tg.failNext(gone, { errorCode: 502, description: 'Bad Gateway' });
    const res = await t.api('POST', '/api/admin/senders', { tokens: [gone] }, adminAuth);
    expect(res.status).toBe(200);
    expect(res.body.added).toBe(0);
    expect(res.body.rejected[0].reason).toMatch(/could not be reached/);
  });

  it('lists stock with counts by state and never a token', async () => {
    await t.ctx.db.update(senders).set({ state: 'banned', lastError: 'revoked' }).where(eq(senders.username, 'bravo_bot'));
    const res = await t.api('GET', '/api/admin/senders', undefined, adminAuth);
    expect(res.status).toBe(200);
    expect(res.body.counts).toEqual({ unused: 26, reserved: 0, assigned: 0, frozen: 0, banned: 1 });
    expect(res.body.senders).toHaveLength(27);
    const bravo = res.body.senders.find((s: any) => s.username === 'bravo_bot');
    expect(Object.keys(bravo).sort()).toEqual(
      [
        'adbotId',
        'createdAt',
        'customerEmail',
        'customerId',
        'frozenUntil',
        'id',
        'isSandbox',
        'lastError',
        'orderId',
        'orderNumber',
        'state',
        'telegramBotId',
        'username',
      ].sort(),
    );
    expect(bravo).toMatchObject({ state: 'banned', lastError: 'revoked', isSandbox: false, telegramBotId: '5002' });
    const text = JSON.stringify(res.body);
    expect(text).not.toMatch(/token/i);
    expect(text).not.toContain(BRAVO.slice(5));
    expect(text).not.toContain('sandbox:');

    const banned = await t.api('GET', '/api/admin/senders?state=banned', undefined, adminAuth);
    expect(banned.body.senders.map((s: any) => s.username)).toEqual(['bravo_bot']);
    expect(banned.body.counts.unused).toBe(26);
  });
});

// The read API's hot paths (issue 12): how many statements a request costs, and that the
// cheaper paths still refuse what the per-request session check refuses.
import { eq, sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createPaidOrder } from '../../test/factories/orders.js';
import { adminToken, bearer, tokenFor } from '../../test/factories/sessions.js';
import { setStock } from '../../test/factories/stock.js';
import { startTestApp, type TestApp } from '../../test/helpers/test-app.js';
import { plans, users } from '../db/schema.js';
import { signSessionToken } from '../modules/accounts/tokens.js';
import { fulfilOrder } from '../modules/fulfilment/fulfil-order.js';

/** Counts the statements sent to the database whose text matches `pattern`, from now on. */
function countStatements(t: TestApp, pattern: RegExp): () => number {
  const client = (t.ctx.db as unknown as { $client: { query: (...args: unknown[]) => unknown } }).$client;
  const spy = vi.spyOn(client, 'query');
  return () => spy.mock.calls.filter(([q]) => pattern.test(typeof q === 'string' ? q : ((q as { text?: string })?.text ?? ''))).length;
}

describe('read API cost and session checks', () => {
  let t: TestApp;
  let userId: string;
  beforeAll(async () => {
    t = await startTestApp({ worker: false });
    await setStock(t.ctx, 3);
    const o = await createPaidOrder(t.ctx, { email: 'reader@example.com', plan: 'bronze' });
    await fulfilOrder({ ctx: t.ctx, orderId: o.orderId });
    userId = o.userId;
  });
  afterAll(async () => t?.close());
  afterEach(() => vi.restoreAllMocks());

  it('answers GET /api/user/bot with one statement: the session check and the view together', async () => {
    const auth = bearer(await tokenFor(t.ctx, userId));
    expect((await t.api('GET', '/api/user/bot', undefined, auth)).status).toBe(200); // prepared, warm
    const statements = countStatements(t, /"users"|"adbots"/);
    const res = await t.api('GET', '/api/user/bot', undefined, auth);
    expect(res.status).toBe(200);
    expect(res.body.planSlug).toBe('bronze');
    expect(statements()).toBe(1);
  });

  it('answers polls of several customers arriving together with one statement, each with its own view and its own checks', async () => {
    await setStock(t.ctx, 4); // three orders here, one for the test after
    const others = [];
    for (const email of ['poller.1@example.com', 'poller.2@example.com']) {
      const o = await createPaidOrder(t.ctx, { email, plan: 'bronze' });
      await fulfilOrder({ ctx: t.ctx, orderId: o.orderId });
      others.push(o.userId);
    }
    const banned = await createPaidOrder(t.ctx, { email: 'poller.banned@example.com', plan: 'bronze' });
    await t.ctx.db.update(users).set({ banned: true }).where(eq(users.id, banned.userId));
    const callers = [userId, ...others, banned.userId];
    const auths = await Promise.all(callers.map(async (id) => bearer(await tokenFor(t.ctx, id))));
    const poll = (auth: Record<string, string>) => t.app.inject({ method: 'GET', url: '/api/user/bot', headers: auth });
    await Promise.all(auths.map(poll)); // prepared, warm

    const statements = countStatements(t, /"users"|"adbots"/);
    const answers = await Promise.all([...auths, auths[0]!].map(poll));
    expect(statements()).toBe(1);
    expect(answers.map((a) => a.statusCode)).toEqual([200, 200, 200, 403, 200]);
    const ids = answers.slice(0, 3).map((a) => a.json().id);
    expect(new Set(ids).size).toBe(3); // every customer sees their own adbot
    expect(answers[4]!.json()).toEqual(answers[0]!.json());
    expect(answers[3]!.json().error.code).toBe('forbidden');
  });

  it('writes GET /api/user/bot by hand byte for byte as the zod serializer writes the same view (PUT answers with it)', async () => {
    const auth = bearer(await tokenFor(t.ctx, userId));
    const body = {
      post: { type: 'text', text: 'Sale "today" \\ <b>50%</b> 🚀', buttons: [{ text: 'Buy', url: 'https://shop.example/buy?a=1&b=2' }] },
      chats: ['@MyGroup', '-1001234567890'],
    };
    const put = await t.app.inject({ method: 'PUT', url: '/api/user/bot', headers: auth, payload: body });
    expect(put.statusCode, put.payload).toBe(200);
    const get = await t.app.inject({ method: 'GET', url: '/api/user/bot', headers: auth });
    expect(get.statusCode).toBe(200);
    expect(get.headers['content-type']).toBe(put.headers['content-type']);
    expect(get.payload).toBe(put.payload);
    expect(get.json().chats).toHaveLength(2);
    expect(get.json().chats[1]).toMatchObject({ chatId: '-1001234567890', title: null, lastPostAt: null });
  });

  it('refuses the very next GET /api/user/bot after a logout, a ban or an ended checkout session', async () => {
    const auth = bearer(await tokenFor(t.ctx, userId));
    const checkout = bearer(await signSessionToken({ id: userId, role: 'customer', checkoutVersion: 0 }, t.ctx.config.jwtSecret));
    expect((await t.api('GET', '/api/user/bot', undefined, checkout)).status).toBe(200);
    await t.ctx.db
      .update(users)
      .set({ checkoutSessionVersion: sql`${users.checkoutSessionVersion} + 1` })
      .where(eq(users.id, userId));
    const ended = await t.api('GET', '/api/user/bot', undefined, checkout);
    expect(ended.status).toBe(401);
    expect(ended.body.error.message).toMatch(/checkout session has ended/);

    await t.ctx.db.update(users).set({ banned: true }).where(eq(users.id, userId));
    const banned = await t.api('GET', '/api/user/bot', undefined, auth);
    expect(banned.status).toBe(403);
    expect(banned.body).toEqual({ error: { code: 'forbidden', message: 'This account has been suspended' } });
    await t.ctx.db.update(users).set({ banned: false }).where(eq(users.id, userId));
    expect((await t.api('GET', '/api/user/bot', undefined, auth)).status).toBe(200);

    // What logging out does: the stored session version moves on.
    await t.ctx.db
      .update(users)
      .set({ sessionVersion: sql`${users.sessionVersion} + 1` })
      .where(eq(users.id, userId));
    const out = await t.api('GET', '/api/user/bot', undefined, auth);
    expect(out.status).toBe(401);
    expect(out.body.error.message).toMatch(/logged out/);
  });

  it('keeps the other answers of GET /api/user/bot: no token, unknown user, other roles, no adbot yet', async () => {
    expect((await t.api('GET', '/api/user/bot')).status).toBe(401);
    expect((await t.api('GET', '/api/user/bot', undefined, { authorization: 'Bearer not.a.token' })).status).toBe(401);
    const ghost = bearer(await tokenFor(t.ctx, '00000000-0000-4000-8000-000000000000'));
    expect((await t.api('GET', '/api/user/bot', undefined, ghost)).status).toBe(401);
    expect((await t.api('GET', '/api/user/bot', undefined, bearer(await adminToken(t.ctx)))).status).toBe(403);
    const unpaid = await createPaidOrder(t.ctx, { email: 'not-yet@example.com', plan: 'bronze' });
    const none = await t.api('GET', '/api/user/bot', undefined, bearer(await tokenFor(t.ctx, unpaid.userId)));
    expect(none.status).toBe(404);
    expect(none.body.error.code).toBe('not_found');
  });

  it('serves GET /api/products from one read per staleness window, and shows a plan edit made here at once', async () => {
    expect((await t.api('GET', '/api/products')).status).toBe(200);
    const reads = countStatements(t, /from "plans"/);
    for (let i = 0; i < 5; i++) expect((await t.api('GET', '/api/products')).status).toBe(200);
    // Five requests in a row (well within a second of one another on any machine): at most
    // one read between them, where one read per request was the cost before.
    expect(reads()).toBeLessThanOrEqual(1);

    const [silver] = await t.ctx.db.select().from(plans).where(eq(plans.slug, 'silver'));
    const admin = bearer(await adminToken(t.ctx));
    expect((await t.api('PATCH', `/api/admin/products/${silver!.id}`, { priceUsd: '56.5' }, admin)).status).toBe(200);
    const after = await t.api('GET', '/api/products');
    expect(after.body.products.find((p: { slug: string }) => p.slug === 'silver').priceUsd).toBe(56.5);
  });
});

// GET /api/admin/customers/:id/adbot: the admin reads a customer's ad, chats and latest posts.
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshEmail } from '../../../test/factories/ids.js';
import { buyPlan } from '../../../test/factories/orders.js';
import { startTestApp, type TestApp } from '../../../test/helpers/test-app.js';
import { adbots, posts, senders, targetChats, users } from '../../db/schema.js';
import { RECENT_POSTS } from './get-customer-adbot.js';

const ADMIN_CODE = 'ADMIN-CUSTOMER-ADBOT-CODE-0123';

describe('admin view of a customer adbot', () => {
  let t: TestApp;
  let admin: Record<string, string>;
  let customer: Record<string, string>;
  let userId: string;
  let adbotId: string;

  beforeAll(async () => {
    t = await startTestApp({ env: { ADMIN_ACCESS_CODE: ADMIN_CODE } });
    admin = { authorization: `Bearer ${(await t.api('POST', '/api/auth/login', { accessCode: ADMIN_CODE })).body.token}` };
    const bought = await buyPlan(t, { email: freshEmail('adbot-view'), plan: 'bronze' });
    userId = bought.userId;
    adbotId = bought.adbotId;
    customer = bought.auth;
    await t.ctx.db
      .update(adbots)
      .set({ post: { type: 'text', text: 'Moderate <b>me</b>' } })
      .where(eq(adbots.id, adbotId));
    const [sender] = await t.ctx.db.select().from(senders).where(eq(senders.adbotId, adbotId));
    const [chat] = await t.ctx.db.insert(targetChats).values({ adbotId, ref: '@viewchat', title: 'View chat', status: 'ok', senderId: sender!.id }).returning();
    // More posts than the page holds: the newest come first.
    await t.ctx.db.insert(posts).values(
      Array.from({ length: RECENT_POSTS + 5 }, (_, i) => ({
        adbotId,
        targetChatId: chat!.id,
        senderId: sender!.id,
        slot: i,
        status: i % 2 ? ('sent' as const) : ('failed' as const),
        error: i % 2 ? null : `boom ${i}`,
        messageUrl: i % 2 ? `https://t.me/viewchat/${i}` : null,
        createdAt: new Date(Date.UTC(2026, 0, 1) + i * 60_000),
      })),
    );
  }, 60_000);
  afterAll(async () => t?.close());

  it('is admin only', async () => {
    const url = `/api/admin/customers/${userId}/adbot`;
    expect((await t.api('GET', url)).status).toBe(401);
    expect((await t.api('GET', url, undefined, customer)).status).toBe(403);
  });

  it('answers the ad, chats with status and the latest posts, without any token', async () => {
    const res = await t.api('GET', `/api/admin/customers/${userId}/adbot`, undefined, admin);
    expect(res.status).toBe(200);
    expect(res.body.adbot).toMatchObject({ id: adbotId, planSlug: 'bronze', post: { type: 'text', text: 'Moderate <b>me</b>' } });
    expect(res.body.adbot.chats).toEqual([expect.objectContaining({ ref: '@viewchat', title: 'View chat', status: 'ok' })]);
    expect(res.body.adbot.senders.length).toBeGreaterThan(0);
    expect(res.body.recentPosts).toHaveLength(RECENT_POSTS);
    expect(res.body.recentPosts[0]).toMatchObject({ chatRef: '@viewchat', status: 'failed', error: `boom ${RECENT_POSTS + 4}` });
    expect(res.body.recentPosts[1]).toMatchObject({ status: 'sent', messageUrl: `https://t.me/viewchat/${RECENT_POSTS + 3}` });
    const raw = JSON.stringify(res.body);
    const stored = await t.ctx.db.select({ enc: senders.tokenEncrypted }).from(senders).where(eq(senders.adbotId, adbotId));
    expect(raw).not.toMatch(/token/i);
    for (const s of stored) expect(raw).not.toContain(s.enc);
  });

  it('is 404 for an unknown customer or one without a bot, 400 for a malformed id', async () => {
    expect((await t.api('GET', `/api/admin/customers/${randomUUID()}/adbot`, undefined, admin)).status).toBe(404);
    const [bare] = await t.ctx.db
      .insert(users)
      .values({ email: freshEmail('no-bot'), role: 'customer' })
      .returning();
    expect((await t.api('GET', `/api/admin/customers/${bare!.id}/adbot`, undefined, admin)).status).toBe(404);
    expect((await t.api('GET', '/api/admin/customers/nope/adbot', undefined, admin)).status).toBe(400);
  });
});

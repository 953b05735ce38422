import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buyPlan } from '../../../test/factories/orders.js';
import { adminToken, tokenFor } from '../../../test/factories/sessions.js';
import { setStock } from '../../../test/factories/stock.js';
import { startTestApp, type TestApp } from '../../../test/helpers/test-app.js';
import { activityLog, adbots, notifications, posts, targetChats } from '../../db/schema.js';

describe('customer API', () => {
  let t: TestApp;
  let alice: { userId: string; adbotId: string; auth: Record<string, string> };
  let bob: { userId: string; adbotId: string; auth: Record<string, string> };

  beforeAll(async () => {
    t = await startTestApp();
    await setStock(t.ctx, 4);
    alice = await buyPlan(t, { email: 'alice@example.com', plan: 'silver' });
    bob = await buyPlan(t, { email: 'bob@example.com', plan: 'bronze' });
  });
  afterAll(async () => t?.close());

  const goodBody = {
    post: {
      type: 'text',
      text: '<b>Big sale</b> today &amp; tomorrow — <a href="https://shop.example">shop</a>',
      imageUrl: 'https://cdn.example/pic.png',
      buttons: [{ text: 'Buy', url: 'https://shop.example/buy' }],
    },
    chats: ['@MyGroup', 'https://t.me/mygroup', 't.me/other_channel', '-1001234567890', 'https://t.me/c/1234567890/55'],
  };

  it('saves the ad and the chats, normalised and de-duplicated, and returns the bot', async () => {
    const res = await t.api('PUT', '/api/user/bot', goodBody, alice.auth);
    expect(res.status).toBe(200);
    expect(res.body.post).toMatchObject({ type: 'text', imageUrl: 'https://cdn.example/pic.png' });
    expect(res.body.chats.map((c: any) => c.ref)).toEqual(['@mygroup', '@other_channel', '-1001234567890']);
    expect(res.body.chats.every((c: any) => c.status === 'pending')).toBe(true);
    expect(res.body.chats[2].chatId).toBe('-1001234567890');
    const get = await t.api('GET', '/api/user/bot', undefined, alice.auth);
    expect(get.body).toEqual(res.body);
  });

  it('keeps chats that stay, adds new ones as pending, deletes removed ones, and hides removed ones with history', async () => {
    const before = await t.ctx.db.select().from(targetChats).where(eq(targetChats.adbotId, alice.adbotId));
    const mygroup = before.find((c) => c.ref === '@mygroup')!;
    const other = before.find((c) => c.ref === '@other_channel')!;
    await t.ctx.db.update(targetChats).set({ status: 'ok', title: 'My Group' }).where(eq(targetChats.id, mygroup.id));
    // A delivered post on the numeric chat: removing it must not lose the history.
    const numeric = before.find((c) => c.ref === '-1001234567890')!;
    await t.ctx.db
      .insert(posts)
      .values({ adbotId: alice.adbotId, targetChatId: numeric.id, slot: 1, status: 'sent', sentAt: new Date(), messageUrl: 'https://t.me/c/1234567890/9' });

    const res = await t.api('PUT', '/api/user/bot', { chats: ['@newgroup', '@MYGROUP'] }, alice.auth);
    expect(res.status).toBe(200);
    expect(res.body.chats.map((c: any) => [c.ref, c.status])).toEqual([
      ['@newgroup', 'pending'],
      ['@mygroup', 'ok'],
    ]);
    expect(res.body.post.type).toBe('text');
    const after = await t.ctx.db.select().from(targetChats).where(eq(targetChats.adbotId, alice.adbotId));
    expect(after.find((c) => c.ref === '@mygroup')!.id).toBe(mygroup.id);
    expect(after.some((c) => c.id === other.id)).toBe(false);
    expect(after.find((c) => c.id === numeric.id)).toMatchObject({ position: -1, senderId: null });

    // Adding it back revives the same row with its history.
    const again = await t.api('PUT', '/api/user/bot', { chats: ['@mygroup', '-1001234567890'] }, alice.auth);
    expect(again.body.chats.map((c: any) => c.ref)).toEqual(['@mygroup', '-1001234567890']);
    expect(again.body.chats[1].lastPostUrl).toBe('https://t.me/c/1234567890/9');
  });

  it('rejects bad bodies with 400 naming the field, and changes nothing', async () => {
    const snapshot = async () => ({
      bot: (await t.ctx.db.select().from(adbots).where(eq(adbots.id, alice.adbotId)))[0]!.post,
      chats: (await t.ctx.db.select().from(targetChats).where(eq(targetChats.adbotId, alice.adbotId))).map((c) => [c.ref, c.position]).sort(),
    });
    const before = await snapshot();
    const cases: [unknown, string][] = [
      [undefined, ''],
      ['not json', ''],
      [{}, 'send post, chats or both'],
      [{ post: { type: 'text', text: '' } }, 'post.text'],
      [{ post: { type: 'text', text: 'x'.repeat(4097) } }, 'post.text'],
      [{ post: { type: 'text', text: 'x'.repeat(1025), imageUrl: 'https://a.example/p.png' } }, 'post.text'],
      [{ post: { type: 'text', text: '<script>alert(1)</script>' } }, 'post.text'],
      [{ post: { type: 'text', text: '<b>unclosed' } }, 'post.text'],
      [{ post: { type: 'text', text: 'hi', imageUrl: 'http://insecure.example/p.png' } }, 'post.imageUrl'],
      [{ post: { type: 'text', text: 'hi', imageUrl: 'javascript:alert(1)' } }, 'post.imageUrl'],
      [{ post: { type: 'text', text: 'hi', buttons: Array(9).fill({ text: 'a', url: 'https://a.example' }) } }, 'post.buttons'],
      [{ post: { type: 'text', text: 'hi', buttons: [{ text: 'a', url: 'ftp://a.example' }] } }, 'post.buttons.0.url'],
      [{ post: { type: 'link', link: 'https://example.com/x/1' } }, 'post.link'],
      [{ post: { type: 'video', text: 'hi' } }, 'post'],
      [{ chats: 'not-an-array' }, 'chats'],
      [{ chats: ['@ok_group', 'hello world'] }, 'chats.1'],
      [{ chats: ['https://t.me/+AbCdEf'] }, 'chats.0'],
      [{ chats: ['@ab'] }, 'chats.0'],
      [{ chats: [42] }, 'chats.0'],
      [{ chats: Array.from({ length: 201 }, (_, i) => `@group_${i}`) }, 'chats'],
      [{ post: { type: 'text', text: 'fine' }, chats: ['bad chat!'] }, 'chats.0'],
    ];
    for (const [body, field] of cases) {
      const res = await t.api('PUT', '/api/user/bot', body, { ...alice.auth, ...(typeof body === 'string' ? { 'content-type': 'application/json' } : {}) });
      expect(res.status, JSON.stringify(body)?.slice(0, 80)).toBe(400);
      expect(res.body.error.message, JSON.stringify(body)?.slice(0, 80)).toContain(field);
    }
    expect(await snapshot()).toEqual(before);
  });

  it('accepts a channel post link', async () => {
    const res = await t.api('PUT', '/api/user/bot', { post: { type: 'link', link: 't.me/MyChannel/42' } }, bob.auth);
    expect(res.status).toBe(200);
    expect(res.body.post).toEqual({ type: 'link', link: 'https://t.me/MyChannel/42', fromChat: '@mychannel', messageId: 42 });
  });

  it('start needs an ad and chats (409 with a reason); stop stops', async () => {
    const [u] = await t.ctx.db.select().from(adbots).where(eq(adbots.id, bob.adbotId));
    await t.ctx.db.update(adbots).set({ post: null }).where(eq(adbots.id, u!.id));
    let res = await t.api('POST', '/api/user/bot/start', undefined, bob.auth);
    expect(res.status).toBe(409);
    expect(res.body.error.message).toMatch(/ad/);
    await t.api('PUT', '/api/user/bot', { post: { type: 'text', text: 'hi' } }, bob.auth);
    res = await t.api('POST', '/api/user/bot/start', undefined, bob.auth);
    expect(res.status).toBe(409);
    expect(res.body.error.message).toMatch(/chat/);
    await t.api('PUT', '/api/user/bot', { chats: ['@bobs_group'] }, bob.auth);
    res = await t.api('POST', '/api/user/bot/start', undefined, bob.auth);
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('running');
    res = await t.api('POST', '/api/user/bot/stop', undefined, bob.auth);
    expect(res.body.status).toBe('stopped');
  });

  it('stop answers 409 when the plan is not active (expired or suspended), changing nothing', async () => {
    const carol = await buyPlan(t, { email: 'carol@example.com', plan: 'bronze' });
    await t.ctx.db
      .update(adbots)
      .set({ status: 'expired', expiresAt: new Date(Date.now() - 60_000) })
      .where(eq(adbots.id, carol.adbotId));
    let res = await t.api('POST', '/api/user/bot/stop', undefined, carol.auth);
    expect(res.status).toBe(409);
    expect(res.body.error).toEqual({ code: 'plan_inactive', message: 'Your plan has expired, so your adbot is not posting' });
    await t.ctx.db
      .update(adbots)
      .set({ status: 'suspended', expiresAt: new Date(Date.now() + 86_400_000) })
      .where(eq(adbots.id, carol.adbotId));
    res = await t.api('POST', '/api/user/bot/stop', undefined, carol.auth);
    expect(res.status).toBe(409);
    const [bot] = await t.ctx.db.select().from(adbots).where(eq(adbots.id, carol.adbotId));
    expect(bot!.status).toBe('suspended');

    // Past its expiry but still marked running (the expiry job has not come by): the stop is
    // honoured, so a renewal cannot restart a bot its owner stopped, and the answer says why.
    await t.ctx.db
      .update(adbots)
      .set({ status: 'running', expiresAt: new Date(Date.now() - 1000) })
      .where(eq(adbots.id, carol.adbotId));
    res = await t.api('POST', '/api/user/bot/stop', undefined, carol.auth);
    expect(res.status).toBe(409);
    expect(res.body.error.message).toBe('Your plan has expired, so your adbot is not posting (stopped)');
    const [after] = await t.ctx.db.select().from(adbots).where(eq(adbots.id, carol.adbotId));
    expect(after!.status).toBe('stopped');
  });

  it("a customer token can never read or change another customer's bot; no token gets 401", async () => {
    const aliceBot = (await t.api('GET', '/api/user/bot', undefined, alice.auth)).body;
    const bobBot = await t.api('GET', '/api/user/bot', undefined, bob.auth);
    expect(bobBot.body.id).toBe(bob.adbotId);
    expect(JSON.stringify(bobBot.body)).not.toContain(alice.adbotId);
    const bobStatus = await t.api('GET', '/api/user/status', undefined, bob.auth);
    expect(bobStatus.body.email).toBe('bob@example.com');
    await t.api(
      'PUT',
      '/api/user/bot',
      { post: { type: 'text', text: 'bob was here' }, chats: ['@bob_only'], adbotId: alice.adbotId, userId: alice.userId },
      bob.auth,
    );
    await t.api('POST', '/api/user/bot/start', { adbotId: alice.adbotId }, bob.auth);
    await t.api('POST', '/api/user/notifications/read', { userId: alice.userId }, bob.auth);
    expect((await t.api('GET', '/api/user/bot', undefined, alice.auth)).body).toEqual(aliceBot);
    const aliceNotes = await t.ctx.db.select().from(notifications).where(eq(notifications.userId, alice.userId));
    expect(aliceNotes.every((n) => n.readAt === null)).toBe(true);
    const bobNotes = await t.api('GET', '/api/user/notifications', undefined, bob.auth);
    expect(bobNotes.body.notifications.every((n: any) => !aliceNotes.some((a) => a.id === n.id))).toBe(true);

    const routes: [string, string, unknown?][] = [
      ['GET', '/api/user/status'],
      ['GET', '/api/user/stats'],
      ['GET', '/api/user/bot'],
      ['PUT', '/api/user/bot', goodBody],
      ['POST', '/api/user/bot/start'],
      ['POST', '/api/user/bot/stop'],
      ['GET', '/api/user/notifications'],
      ['POST', '/api/user/notifications/read'],
    ];
    const admin = { authorization: `Bearer ${await adminToken(t.ctx)}` };
    for (const [method, path, body] of routes) {
      expect((await t.api(method, path, body)).status, `${method} ${path}`).toBe(401);
      expect((await t.api(method, path, body, { authorization: 'Bearer forged.token.value' })).status).toBe(401);
      expect((await t.api(method, path, body, admin)).status, `${method} ${path} as admin`).toBe(403);
    }
    expect((await t.api('GET', '/api/user/bot', undefined, alice.auth)).body).toEqual(aliceBot);
  });

  it('a customer with no adbot yet gets 404 for the bot and an inactive status', async () => {
    const [u] = await t.ctx.db
      .insert((await import('../../db/schema.js')).users)
      .values({ email: 'nobot@example.com' })
      .returning();
    const auth = { authorization: `Bearer ${await tokenFor(t.ctx, u!.id)}` };
    const bot = await t.api('GET', '/api/user/bot', undefined, auth);
    expect(bot.status).toBe(404);
    expect(bot.body.error.code).toBe('not_found');
    expect((await t.api('PUT', '/api/user/bot', goodBody, auth)).status).toBe(404);
    expect((await t.api('POST', '/api/user/bot/start', undefined, auth)).status).toBe(404);
    const status = await t.api('GET', '/api/user/status', undefined, auth);
    expect(status.body).toMatchObject({ email: 'nobot@example.com', planStatus: 'inactive', plan: null, expiresAt: null });
    const stats = await t.api('GET', '/api/user/stats', undefined, auth);
    expect(stats.body).toMatchObject({ messagesSent: 0, messagesFailed: 0, lastPostAt: null });
    expect(stats.body.daily).toHaveLength(7);
  });

  it('reports stats from the posts table, per day for the last 7 days', async () => {
    const [chat] = await t.ctx.db.select().from(targetChats).where(eq(targetChats.adbotId, bob.adbotId));
    const now = Date.now();
    await t.ctx.db.insert(posts).values([
      { adbotId: bob.adbotId, targetChatId: chat!.id, slot: 100, status: 'sent', sentAt: new Date(now), createdAt: new Date(now) },
      { adbotId: bob.adbotId, targetChatId: chat!.id, slot: 101, status: 'sent', sentAt: new Date(now - 86_400_000), createdAt: new Date(now - 86_400_000) },
      { adbotId: bob.adbotId, targetChatId: chat!.id, slot: 102, status: 'failed', error: 'kicked', createdAt: new Date(now) },
      {
        adbotId: bob.adbotId,
        targetChatId: chat!.id,
        slot: 103,
        status: 'sent',
        sentAt: new Date(now - 20 * 86_400_000),
        createdAt: new Date(now - 20 * 86_400_000),
      },
    ]);
    const res = await t.api('GET', '/api/user/stats', undefined, bob.auth);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ messagesSent: 3, messagesFailed: 1, status: 'running' });
    expect(new Date(res.body.lastPostAt).getTime()).toBe(new Date(now).getTime());
    expect(res.body.daily).toHaveLength(7);
    // Looked up by date: the server's today may already be the next UTC day if the run crosses midnight.
    const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
    const byDate = (date: string) => res.body.daily.find((d: { date: string }) => d.date === date);
    expect(res.body.daily.at(-1).date >= day(now)).toBe(true);
    expect(byDate(day(now))).toEqual({ date: day(now), sent: 1, failed: 1 });
    expect(byDate(day(now - 86_400_000))).toMatchObject({ sent: 1, failed: 0 });
  });

  it('lists notifications newest first and marks them read', async () => {
    await t.ctx.db.insert(notifications).values({ userId: alice.userId, kind: 'test', title: 'Later', body: 'b', createdAt: new Date(Date.now() + 1000) });
    let res = await t.api('GET', '/api/user/notifications', undefined, alice.auth);
    expect(res.body.notifications[0].title).toBe('Later');
    expect(res.body.unread).toBe(2);
    expect(Object.keys(res.body.notifications[0]).sort()).toEqual(['body', 'createdAt', 'id', 'kind', 'readAt', 'title']);
    expect((await t.api('GET', '/api/user/status', undefined, alice.auth)).body.notificationCount).toBe(2);
    res = await t.api('POST', '/api/user/notifications/read', undefined, alice.auth);
    expect(res.status).toBe(200);
    res = await t.api('GET', '/api/user/notifications', undefined, alice.auth);
    expect(res.body.unread).toBe(0);
    expect(res.body.notifications.every((n: any) => n.readAt)).toBe(true);
  });

  it('lets an admin extend, suspend and resume an adbot, validated and logged', async () => {
    const admin = { authorization: `Bearer ${await adminToken(t.ctx)}` };
    const path = `/api/admin/adbots/${bob.adbotId}`;
    expect((await t.api('PATCH', path, { status: 'suspended' }, bob.auth)).status).toBe(403);
    expect((await t.api('PATCH', path, { status: 'suspended' })).status).toBe(401);
    for (const bad of [{}, { status: 'expired' }, { expiresAt: 'tomorrow' }, { status: 'stopped', extra: 1 }]) {
      const res = await t.api('PATCH', path, bad, admin);
      expect(res.status, JSON.stringify(bad)).toBe(400);
    }
    expect((await t.api('PATCH', '/api/admin/adbots/not-a-uuid', { status: 'stopped' }, admin)).status).toBe(400);
    expect((await t.api('PATCH', '/api/admin/adbots/00000000-0000-4000-8000-000000000000', { status: 'stopped' }, admin)).status).toBe(404);

    let res = await t.api('PATCH', path, { status: 'suspended' }, admin);
    expect(res.status).toBe(200);
    expect(res.body.adbot.status).toBe('suspended');
    const start = await t.api('POST', '/api/user/bot/start', undefined, bob.auth);
    expect(start.status).toBe(409);
    expect(start.body.error.code).toBe('plan_inactive');

    const until = new Date(Date.now() + 90 * 86_400_000).toISOString();
    res = await t.api('PATCH', path, { expiresAt: until, status: 'stopped' }, admin);
    expect(res.body.adbot).toMatchObject({ status: 'stopped', expiresAt: until });
    expect((await t.api('POST', '/api/user/bot/start', undefined, bob.auth)).status).toBe(200);

    res = await t.api('PATCH', path, { expiresAt: new Date(Date.now() - 1000).toISOString(), status: 'running' }, admin);
    expect(res.status).toBe(409);
    const logs = await t.ctx.db.select().from(activityLog).where(eq(activityLog.subjectId, bob.adbotId));
    expect(logs.filter((l) => l.action === 'adbot.updated')).toHaveLength(2);
  });
});

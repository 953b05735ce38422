// A ban or a suspension must never be a silent lock-out: the customer is told, calmly, with
// the support address — and told again when it is lifted.
import { and, eq, ne } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/helpers/test-app.js';
import { adbots, emails, notifications, plans, users } from '../../db/schema.js';
import { issueAccessCode } from './issue-access-code.js';

const ADMIN_CODE = 'ADMIN-NOTICE-CODE-0123456789';
const SUPPORT = 'support@hqadz.example';

describe('customer notices on ban and suspension', () => {
  let t: TestApp;
  let admin: Record<string, string>;
  let seq = 0;

  async function newCustomer(status: 'running' | 'stopped' = 'running') {
    const [plan] = await t.ctx.db.select().from(plans).limit(1);
    const [user] = await t.ctx.db
      .insert(users)
      .values({ email: `notice-${++seq}-${Date.now()}@example.com` })
      .returning();
    const code = await t.ctx.db.transaction((tx) => issueAccessCode({ tx, userId: user!.id }));
    const [bot] = await t.ctx.db
      .insert(adbots)
      .values({
        userId: user!.id,
        planId: plan!.id,
        status,
        postingIntervalSeconds: plan!.postingIntervalSeconds,
        senderCount: plan!.senders,
        expiresAt: new Date(Date.now() + 20 * 86_400_000),
      })
      .returning();
    return { userId: user!.id, botId: bot!.id, code, email: user!.email! };
  }

  /**
   * Oldest first, read from the table: a banned customer cannot call the API. These bots have
   * no sender rows, so the stock job may top them up in the background and say so
   * (`sender_replaced`) at any moment: that notice is not what these tests are about.
   */
  const noticesOf = (userId: string) =>
    t.ctx.db
      .select({ kind: notifications.kind, title: notifications.title, body: notifications.body })
      .from(notifications)
      .where(and(eq(notifications.userId, userId), ne(notifications.kind, 'sender_replaced')))
      .orderBy(notifications.createdAt, notifications.id);

  const kindsOf = async (userId: string) => (await noticesOf(userId)).map((n) => n.kind);

  beforeAll(async () => {
    t = await startTestApp({ env: { ADMIN_ACCESS_CODE: ADMIN_CODE, RATE_LIMIT_LOGIN_FAILURES: '1000' } });
    const res = await t.api('POST', '/api/auth/login', { accessCode: ADMIN_CODE });
    expect(res.body.role).toBe('admin');
    admin = { authorization: `Bearer ${res.body.token}` };
  }, 60_000);
  afterAll(async () => t?.close());

  it('tells a banned customer, once per ban, and tells them again when unbanned', async () => {
    const c = await newCustomer('running');
    expect((await t.api('POST', `/api/admin/customers/${c.userId}/ban`, {}, admin)).status).toBe(200);

    const [banned] = await noticesOf(c.userId);
    expect(banned).toMatchObject({ kind: 'account_banned', title: 'Your account has been suspended' });
    expect(banned!.body).toContain(SUPPORT);
    expect(banned!.body).toContain('paused your adbot');

    // Banning an already banned account changes nothing, so it says nothing new.
    expect((await t.api('POST', `/api/admin/customers/${c.userId}/ban`, {}, admin)).status).toBe(200);
    expect(await kindsOf(c.userId)).toEqual(['account_banned']);

    expect((await t.api('POST', `/api/admin/customers/${c.userId}/unban`, {}, admin)).status).toBe(200);
    expect((await t.api('POST', `/api/admin/customers/${c.userId}/unban`, {}, admin)).status).toBe(200);
    // Back in, the customer reads both, the newest first, through their own API.
    const login = await t.api('POST', '/api/auth/login', { accessCode: c.code });
    expect(login.status).toBe(200);
    const list = await t.api('GET', '/api/user/notifications', undefined, { authorization: `Bearer ${login.body.token}` });
    expect(list.status).toBe(200);
    expect(list.body.notifications.map((n: any) => n.kind)).toEqual(['account_unbanned', 'account_banned']);
    expect(list.body.unread).toBe(2);
    expect(list.body.notifications[0].body).toContain(SUPPORT);
    expect(list.body.notifications[0].body).toContain('press Start');

    // A second ban is a new event, not a duplicate of the first.
    expect((await t.api('POST', `/api/admin/customers/${c.userId}/ban`, {}, admin)).status).toBe(200);
    expect(await kindsOf(c.userId)).toEqual(['account_banned', 'account_unbanned', 'account_banned']);

    // A banned customer cannot log in to read the app, so each change is emailed too.
    const mails = await t.ctx.db.select().from(emails).where(eq(emails.toAddress, c.email)).orderBy(emails.createdAt, emails.id);
    expect(mails.map((m) => m.subject)).toEqual([
      'HQAdz: your account has been suspended',
      'HQAdz: your account is active again',
      'HQAdz: your account has been suspended',
    ]);
    expect(mails[0]!.bodyText).toContain(SUPPORT);
    expect(mails[0]!.bodyText).toContain('paused your adbot');
  });

  it('does not mention a paused adbot when the ban stopped nothing', async () => {
    const c = await newCustomer('stopped');
    expect((await t.api('POST', `/api/admin/customers/${c.userId}/ban`, {}, admin)).status).toBe(200);
    const [notice] = await noticesOf(c.userId);
    expect(notice!.kind).toBe('account_banned');
    expect(notice!.body).not.toContain('adbot');
    expect(notice!.body).toContain(SUPPORT);
  });

  it('tells the customer when their adbot is suspended and when the suspension is lifted', async () => {
    const c = await newCustomer('running');
    const patch = (body: Record<string, unknown>) => t.api('PATCH', `/api/admin/adbots/${c.botId}`, body, admin);

    expect((await patch({ status: 'suspended' })).status).toBe(200);
    const [suspended] = await noticesOf(c.userId);
    expect(suspended).toMatchObject({ kind: 'adbot_suspended', title: 'Your adbot has been paused by our team' });
    expect(suspended!.body).toContain(SUPPORT);

    // Neither a repeated suspend nor a new expiry on a suspended bot is a change of suspension.
    expect((await patch({ status: 'suspended' })).status).toBe(200);
    expect((await patch({ expiresAt: new Date(Date.now() + 25 * 86_400_000).toISOString() })).status).toBe(200);
    expect(await kindsOf(c.userId)).toEqual(['adbot_suspended']);

    expect((await patch({ status: 'stopped' })).status).toBe(200);
    let all = await noticesOf(c.userId);
    expect(all.map((n) => n.kind)).toEqual(['adbot_suspended', 'adbot_unsuspended']);
    expect(all[1]!.body).toContain('Press Start');
    expect(all[1]!.body).toContain(SUPPORT);

    // Stopping a stopped bot is not news; suspending again then resuming to running is.
    expect((await patch({ status: 'stopped' })).status).toBe(200);
    expect((await patch({ status: 'suspended' })).status).toBe(200);
    expect((await patch({ status: 'running' })).status).toBe(200);
    all = await noticesOf(c.userId);
    expect(all.map((n) => n.kind)).toEqual(['adbot_suspended', 'adbot_unsuspended', 'adbot_suspended', 'adbot_unsuspended']);
    expect(all[3]!.body).toContain('posting again');
  });

  it('says nothing when the change is refused', async () => {
    const c = await newCustomer('running');
    expect((await t.api('PATCH', `/api/admin/adbots/${c.botId}`, { status: 'suspended' }, admin)).status).toBe(200);
    await t.ctx.db.update(users).set({ banned: true }).where(eq(users.id, c.userId));
    const refused = await t.api('PATCH', `/api/admin/adbots/${c.botId}`, { status: 'running' }, admin);
    expect(refused.status).toBe(409);
    expect(await kindsOf(c.userId)).toEqual(['adbot_suspended']);
    const [bot] = await t.ctx.db.select({ status: adbots.status }).from(adbots).where(eq(adbots.id, c.botId));
    expect(bot!.status).toBe('suspended');
  });
});

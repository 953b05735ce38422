// Issue 9, "never downgrade, never lose money", black-box: two plans checked out for one email
// while nothing ran (both stored as 'new'), paid one after the other through the webhook.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshEmail } from '../../../test/factories/ids.js';
import { checkout, emailsTo, loadOrder, waitForOrderStatus } from '../../../test/factories/orders.js';
import { adminToken, bearer, tokenFor } from '../../../test/factories/sessions.js';
import { setStock } from '../../../test/factories/stock.js';
import { startTestApp, type TestApp } from '../../../test/helpers/test-app.js';

const DAY = 86_400_000;

describe('a smaller plan paid after a bigger one', () => {
  let t: TestApp;
  let admin: Record<string, string>;
  beforeAll(async () => {
    t = await startTestApp({ env: { RATE_LIMIT_CHECKOUT_PER_MINUTE: '1000' } });
    admin = bearer(await adminToken(t.ctx));
  });
  afterAll(async () => t?.close());

  /** Both checkouts first: once one plan runs, checkout itself refuses the smaller one. */
  async function checkOutBoth(email: string, first: string, second: string) {
    const a = await checkout(t, { email, slug: first, currency: 'btc' });
    const b = await checkout(t, { email, slug: second, currency: 'btc' });
    expect([a.status, b.status]).toEqual([201, 201]);
    return [a.body, b.body] as { orderId: string; paymentId: string }[];
  }
  async function pay(o: { orderId: string; paymentId: string }) {
    const sim = await t.api('POST', '/api/payment/simulate', { paymentId: o.paymentId, status: 'finished' });
    expect(sim.status).toBe(200);
    return waitForOrderStatus(t.ctx, o.orderId, 'fulfilled');
  }

  it('Gold then Bronze: still Gold with its 3 senders, expiry extended by round(30 × $30 / $80) = 11 days, customer told, order recorded', async () => {
    await setStock(t.ctx, 4);
    const email = freshEmail('gold-bronze');
    const [gold, bronze] = await checkOutBoth(email, 'gold', 'bronze');
    expect((await loadOrder(t.ctx, bronze!.orderId)).order.kind).toBe('new');
    const goldOrder = await pay(gold!);
    // A session per look: the Bronze payment rotates the code Gold's unopened checkout panel holds,
    // which ends every session before it (checkout-session.int.test.ts).
    const session = async () => bearer(await tokenFor(t.ctx, goldOrder.userId));
    const onGold = (await t.api('GET', '/api/user/bot', undefined, await session())).body;
    expect(onGold).toMatchObject({ planSlug: 'gold', senderCount: 3, postingIntervalSeconds: 1200 });

    await pay(bronze!);
    const auth = await session();
    const after = await t.api('GET', '/api/user/bot', undefined, auth);
    expect(after.status).toBe(200);
    expect(after.body).toMatchObject({ planSlug: 'gold', senderCount: 3, postingIntervalSeconds: 1200 });
    expect(after.body.senders.map((s: { id: string }) => s.id).sort()).toEqual(onGold.senders.map((s: { id: string }) => s.id).sort());
    expect(new Date(after.body.expiresAt).getTime() - new Date(onGold.expiresAt).getTime()).toBe(11 * DAY);

    // Recorded: the order says what it bought, Bronze's reserved sender went back to stock.
    const { order, senders: stillHeld } = await loadOrder(t.ctx, bronze!.orderId);
    expect(order).toMatchObject({ status: 'fulfilled', creditedDays: 11 });
    expect(stillHeld).toEqual([]);
    const activity = await t.api('GET', '/api/admin/activity?action=order.credited_as_days&limit=50', undefined, admin);
    const entry = activity.body.entries.find((e: { subjectId: string }) => e.subjectId === bronze!.orderId);
    expect(entry.details).toMatchObject({ paidPlan: 'bronze', runningPlan: 'Gold', creditedDays: 11, runningPriceCents: 8000, paidPriceCents: 3000 });

    // Told: in the dashboard and by email, with the days and the kept plan.
    const notes = (await t.api('GET', '/api/user/notifications', undefined, auth)).body.notifications;
    expect(notes[0]).toMatchObject({ kind: 'order_credit', title: '11 days added to Gold' });
    expect(notes[0].body).toContain('Bronze');
    const mail = (await emailsTo(t.ctx, email)).find((m) => m.dedupeKey === `order:${bronze!.orderId}:fulfilled`)!;
    expect(mail.subject).toContain('11 days added to your Gold plan');
    expect(mail.bodyText).toContain('We never lower a running plan');
    expect(mail.bodyText).toContain('Plan: Gold — 3 senders, posts every 20 minutes');
    expect(mail.bodyText).toContain(`Valid until: ${after.body.expiresAt.slice(0, 16).replace('T', ' ')} UTC`);
  });

  it('Bronze then Diamond: the bigger plan paid second is an upgrade (6 senders, 10 minutes)', async () => {
    await setStock(t.ctx, 7);
    const email = freshEmail('bronze-diamond');
    const [bronze, diamond] = await checkOutBoth(email, 'bronze', 'diamond');
    const first = await pay(bronze!);
    await pay(diamond!);
    const bot = (await t.api('GET', '/api/user/bot', undefined, bearer(await tokenFor(t.ctx, first.userId)))).body;
    expect(bot).toMatchObject({ planSlug: 'diamond', senderCount: 6, postingIntervalSeconds: 600 });
    expect(bot.senders).toHaveLength(6);
    expect((await loadOrder(t.ctx, diamond!.orderId)).order.creditedDays).toBeNull();
  });

  it('Bronze twice: the second is a renewal (30 more days, same sender), worded as one', async () => {
    await setStock(t.ctx, 2);
    const email = freshEmail('bronze-twice');
    const a = await checkout(t, { email, slug: 'bronze', currency: 'btc' });
    const b = await checkout(t, { email, slug: 'bronze', currency: 'ltc' });
    const first = await pay(a.body);
    const session = async () => bearer(await tokenFor(t.ctx, first.userId));
    const before = (await t.api('GET', '/api/user/bot', undefined, await session())).body;
    await pay(b.body);
    const after = (await t.api('GET', '/api/user/bot', undefined, await session())).body;
    expect(after.senders.map((s: { id: string }) => s.id)).toEqual(before.senders.map((s: { id: string }) => s.id));
    expect(new Date(after.expiresAt).getTime() - new Date(before.expiresAt).getTime()).toBe(30 * DAY);
    const mail = (await emailsTo(t.ctx, email)).find((m) => m.dedupeKey === `order:${b.body.orderId}:fulfilled`)!;
    expect(mail.subject).toMatch(/renewed/);
  });
});

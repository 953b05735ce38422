import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adbotOf, createPaidOrder } from '../../../test/factories/orders.js';
import { tokenFor } from '../../../test/factories/sessions.js';
import { eventually, startTestApp, type TestApp } from '../../../test/helpers/test-app.js';
import { posts, targetChats } from '../../db/schema.js';
import { fulfilOrder } from '../fulfilment/fulfil-order.js';

// The default install: test mode, sandbox senders from the seeded stock, and the engine
// loop driven by real time, as `npm start` runs it.
describe('engine loop', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ worker: false, engine: true });
  });
  afterAll(async () => t?.close());

  it('checks and posts on its own for a started bot with sandbox senders', async () => {
    const { orderId, userId } = await createPaidOrder(t.ctx, { email: 'loop@example.com', plan: 'bronze' });
    await fulfilOrder({ ctx: t.ctx, orderId });
    const auth = { authorization: `Bearer ${await tokenFor(t.ctx, userId)}` };
    expect((await t.api('PUT', '/api/user/bot', { post: { type: 'text', text: 'Loop ad' }, chats: ['@loop_group'] }, auth)).status).toBe(200);
    expect((await t.api('POST', '/api/user/bot/start', undefined, auth)).status).toBe(200);
    const { bot } = await adbotOf(t.ctx, userId);

    const sent = await eventually(
      async () => (await t.ctx.db.select().from(posts).where(eq(posts.adbotId, bot!.id))).find((p) => p.status === 'sent'),
      10_000,
      'a sandbox post',
    );
    expect(sent!.messageUrl).toBeNull();
    const [chat] = await t.ctx.db.select().from(targetChats).where(eq(targetChats.adbotId, bot!.id));
    expect(chat).toMatchObject({ status: 'ok' });
    // The next post waits for the next hourly slot.
    expect(chat!.nextPostAt!.getTime() % 3_600_000).toBe(0);
    expect(chat!.nextPostAt!.getTime()).toBeGreaterThan(sent!.sentAt!.getTime());
    const stats = await t.api('GET', '/api/user/stats', undefined, auth);
    expect(stats.body.messagesSent).toBeGreaterThanOrEqual(1);
  });
});

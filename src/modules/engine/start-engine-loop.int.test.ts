import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buyPlan } from '../../../test/factories/orders.js';
import { startTestApp, type TestApp } from '../../../test/helpers/test-app.js';
import { posts, targetChats } from '../../db/schema.js';

// The default install: test mode, sandbox senders from the seeded stock, and the engine
// loop driven by real time, as `npm start` runs it.
describe('engine loop', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ worker: false, engine: true });
  });
  afterAll(async () => t?.close());

  it('checks and posts on its own for a started bot with sandbox senders', async () => {
    const { adbotId, auth } = await buyPlan(t, { email: 'loop@example.com', plan: 'bronze' });
    expect((await t.api('PUT', '/api/user/bot', { post: { type: 'text', text: 'Loop ad' }, chats: ['@loop_group'] }, auth)).status).toBe(200);
    expect((await t.api('POST', '/api/user/bot/start', undefined, auth)).status).toBe(200);

    const sent = await vi.waitFor(
      async () => {
        const post = (await t.ctx.db.select().from(posts).where(eq(posts.adbotId, adbotId))).find((p) => p.status === 'sent');
        expect(post, 'a sandbox post').toBeDefined();
        return post!;
      },
      { timeout: 10_000, interval: 100 },
    );
    expect(sent!.messageUrl).toBeNull();
    const [chat] = await t.ctx.db.select().from(targetChats).where(eq(targetChats.adbotId, adbotId));
    expect(chat).toMatchObject({ status: 'ok' });
    // The next post is one interval (Bronze: an hour) after this chat's first, not at the next hour boundary.
    expect(chat!.nextPostAt!.getTime()).toBeGreaterThanOrEqual(sent!.sentAt!.getTime() + 3_600_000 - 1000);
    expect(chat!.nextPostAt!.getTime()).toBeLessThanOrEqual(sent!.sentAt!.getTime() + 3_600_000);
    const stats = await t.api('GET', '/api/user/stats', undefined, auth);
    expect(stats.body.messagesSent).toBeGreaterThanOrEqual(1);
  });
});

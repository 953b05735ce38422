// Customers with configured adbots whose senders are bots the fake Bot API knows.
import { eq, sql } from 'drizzle-orm';
import { adbots, plans } from '../../src/db/schema.js';
import type { AppContext } from '../../src/platform/app-context.js';
import type { FakeTelegram } from '../fakes/telegram.js';
import type { TestApp } from '../helpers/test-app.js';
import { buyPlan } from './orders.js';
import type { Auth } from './sessions.js';
import { type RealSender, setStock, telegramSenders } from './stock.js';

export type BuyAdbotOptions = {
  email: string;
  plan?: string;
  post?: Record<string, unknown>;
  chats: string[];
  start?: boolean;
};

export type BoughtAdbot = { userId: string; adbotId: string; senders: RealSender[]; auth: Auth; intervalSeconds: number; expiresAt: Date };

/**
 * Exactly the plan's senders in stock, so the purchase (checkout, payment, fulfilment) gets
 * these bots; then the ad and chats saved and the bot started through the customer API.
 */
export async function buyAdbot(t: TestApp, tg: FakeTelegram, opts: BuyAdbotOptions): Promise<BoughtAdbot> {
  const slug = opts.plan ?? 'bronze';
  const [plan] = await t.ctx.db.select().from(plans).where(eq(plans.slug, slug));
  await setStock(t.ctx, 0);
  const bought = await telegramSenders(t, tg, plan!.senders);
  const { userId, auth } = await buyPlan(t, { email: opts.email, plan: slug, redeem: false });
  const put = await t.api('PUT', '/api/user/bot', { post: opts.post ?? { type: 'text', text: '<b>Sale</b> today' }, chats: opts.chats }, auth);
  if (put.status !== 200) throw new Error(`factory: PUT /api/user/bot ${put.status} ${JSON.stringify(put.body)}`);
  if (opts.start !== false) {
    const start = await t.api('POST', '/api/user/bot/start', undefined, auth);
    if (start.status !== 200) throw new Error(`factory: start ${start.status}`);
  }
  const [bot] = await t.ctx.db.select().from(adbots).where(eq(adbots.userId, userId));
  return { userId, adbotId: bot!.id, senders: bought, auth, intervalSeconds: bot!.postingIntervalSeconds, expiresAt: bot!.expiresAt };
}

/** Stops every adbot, so one test's ticks never post for another test's bot. */
export async function stopAllAdbots(ctx: AppContext): Promise<void> {
  // Between tests, not a product action: no use case stops every customer's bot at once.
  await ctx.db.update(adbots).set({ status: 'stopped' }).where(sql`${adbots.status} = 'running'`);
}

// Test-only: customers with running adbots whose senders are real-looking bots registered
// on the fake Bot API, bought through the same paid-order → fulfilment path as production.
import { randomBytes } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import type { FakeTelegram } from '../../../test/fakes/telegram.js';
import type { TestApp } from '../../../test/helpers/test-app.js';
import { adbots, plans, senders } from '../../db/schema.js';
import { encrypt } from '../../lib/crypto.js';
import type { AppContext } from '../../platform/app-context.js';
import { fulfilOrder } from '../fulfilment/fulfil-order.js';
import { createPaidOrder, setStock, tokenFor } from '../fulfilment/test-fixtures.js';

let botSeq = 0;
let chatSeq = 0;

export type RealSender = { id: string; token: string; botId: number; username: string };

/** Unused stock of bots the fake Telegram knows, tokens stored encrypted like add-senders does. */
export async function addRealSenders(ctx: AppContext, tg: FakeTelegram, count: number): Promise<RealSender[]> {
  const out: RealSender[] = [];
  for (let i = 0; i < count; i++) {
    const botId = 7_000_000_000 + Math.floor(Math.random() * 1e8) * 10 + (++botSeq % 10);
    const token = `${botId}:${randomBytes(27).toString('base64url')}`;
    const username = `eng_${botSeq}_${randomBytes(3).toString('hex')}_bot`;
    tg.addBot(token, { id: botId, username });
    const [row] = await ctx.db
      .insert(senders)
      .values({ telegramBotId: BigInt(botId), username, tokenEncrypted: encrypt(token, ctx.config.encryptionKey), isSandbox: false })
      .returning({ id: senders.id });
    out.push({ id: row!.id, token, botId, username });
  }
  return out;
}

/** A new fake chat id: private supergroups and channels are -100…, basic groups are small negatives. */
export function nextChatId(kind: 'supergroup' | 'group' = 'supergroup'): number {
  chatSeq++;
  return kind === 'group'
    ? -(4_000_000 + chatSeq * 7 + Math.floor(Math.random() * 5))
    : -(1_001_000_000_000 + chatSeq * 1000 + Math.floor(Math.random() * 900));
}

export type BuyAdbotOptions = {
  email: string;
  plan?: string;
  post?: Record<string, unknown>;
  chats: string[];
  start?: boolean;
};

export type BoughtAdbot = { userId: string; adbotId: string; senders: RealSender[]; auth: Record<string, string>; intervalSeconds: number; expiresAt: Date };

/** Exactly the plan's senders in stock, so the purchase gets these bots; ad and chats saved through the API. */
export async function buyAdbot(t: TestApp, tg: FakeTelegram, opts: BuyAdbotOptions): Promise<BoughtAdbot> {
  const ctx = t.ctx;
  const slug = opts.plan ?? 'bronze';
  const [plan] = await ctx.db.select().from(plans).where(eq(plans.slug, slug));
  await setStock(ctx, 0);
  const bought = await addRealSenders(ctx, tg, plan!.senders);
  const { orderId, userId } = await createPaidOrder(ctx, { email: opts.email, plan: slug });
  if ((await fulfilOrder({ ctx, orderId })) !== 'fulfilled') throw new Error('fixture: fulfilment failed');
  const auth = { authorization: `Bearer ${await tokenFor(ctx, userId)}` };
  const put = await t.api('PUT', '/api/user/bot', { post: opts.post ?? { type: 'text', text: '<b>Sale</b> today' }, chats: opts.chats }, auth);
  if (put.status !== 200) throw new Error(`fixture: PUT /api/user/bot ${put.status} ${JSON.stringify(put.body)}`);
  if (opts.start !== false) {
    const start = await t.api('POST', '/api/user/bot/start', undefined, auth);
    if (start.status !== 200) throw new Error(`fixture: start ${start.status}`);
  }
  const [bot] = await ctx.db.select().from(adbots).where(eq(adbots.userId, userId));
  return { userId, adbotId: bot!.id, senders: bought, auth, intervalSeconds: bot!.postingIntervalSeconds, expiresAt: bot!.expiresAt };
}

/** Stops every adbot, so one test's ticks never post for another test's bot. */
export async function stopAllAdbots(ctx: AppContext): Promise<void> {
  await ctx.db.update(adbots).set({ status: 'stopped' }).where(sql`${adbots.status} = 'running'`);
}

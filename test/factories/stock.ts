// Sender stock for tests.
import { randomBytes, randomInt } from 'node:crypto';
import { and, eq, notExists, sql } from 'drizzle-orm';
import { posts, senders, targetChats } from '../../src/db/schema.js';
import { addSenders } from '../../src/modules/stock/add-senders.js';
import type { AppContext } from '../../src/platform/app-context.js';
import type { FakeTelegram } from '../fakes/telegram.js';
import type { TestApp } from '../helpers/test-app.js';

let seq = 0;
const unique = () => `${Date.now().toString(36)}_${++seq}_${randomBytes(2).toString('hex')}`;

/**
 * `n` sandbox senders added through the stock use case (validated, encrypted, logged), which
 * also queues the back-order pass, as the admin's "add senders" does. Returns their ids.
 */
export async function sandboxSenders(t: TestApp | { ctx: AppContext }, n: number): Promise<string[]> {
  if (n <= 0) return [];
  const tokens = Array.from({ length: n }, () => `sandbox:f_${unique()}`);
  const { added, rejected } = await addSenders({ ctx: t.ctx, tokens });
  if (rejected.length) throw new Error(`factory: stock refused ${JSON.stringify(rejected)}`);
  return added.map((a) => a.id);
}

export type RealSender = { id: string; token: string; botId: number; username: string };

/** Bots the fake Bot API knows, added through the stock use case (its getMe answers for them). */
export async function telegramSenders(t: TestApp | { ctx: AppContext }, tg: FakeTelegram, count: number): Promise<RealSender[]> {
  const bots = Array.from({ length: count }, () => {
    const botId = 7_000_000_000 + randomInt(1e8) * 10 + (++seq % 10);
    const token = `${botId}:${randomBytes(27).toString('base64url')}`;
    const username = `eng_${seq}_${randomBytes(3).toString('hex')}_bot`;
    tg.addBot(token, { id: botId, username });
    return { token, botId, username };
  });
  const { added, rejected } = await addSenders({ ctx: t.ctx, tokens: bots.map((b) => b.token) });
  if (rejected.length) throw new Error(`factory: stock refused ${JSON.stringify(rejected)}`);
  return bots.map((b) => {
    const row = added.find((a) => a.username === b.username);
    if (!row) throw new Error(`factory: ${b.username} was not added`);
    return { id: row.id, ...b };
  });
}

/**
 * Leaves exactly `count` unused senders in stock (other states are untouched). No use case
 * removes stock, and adding through it would queue the back-order pass, which takes stock
 * from under tests that count reservations exactly: so these rows are written directly.
 */
export async function setStock(ctx: AppContext, count: number): Promise<string[]> {
  await ctx.db
    .delete(senders)
    .where(
      and(
        eq(senders.state, 'unused'),
        notExists(ctx.db.select({ x: sql`1` }).from(posts).where(eq(posts.senderId, senders.id))),
        notExists(ctx.db.select({ x: sql`1` }).from(targetChats).where(eq(targetChats.senderId, senders.id))),
      ),
    );
  return addStock(ctx, count);
}

/** `count` unused sandbox senders written directly, without the back-order pass (see setStock). */
export async function addStock(ctx: AppContext, count: number): Promise<string[]> {
  if (count <= 0) return [];
  const rows = await ctx.db
    .insert(senders)
    .values(
      Array.from({ length: count }, () => {
        const n = ++seq;
        return {
          telegramBotId: BigInt(randomInt(1, 2 ** 47)) * 1000n + BigInt(n % 1000),
          username: `c_stock_${n}_${randomInt(1e6)}_bot`,
          tokenEncrypted: 'test-only',
          isSandbox: true,
        };
      }),
    )
    .returning({ id: senders.id });
  return rows.map((r) => r.id);
}

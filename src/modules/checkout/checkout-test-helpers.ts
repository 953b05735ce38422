// Shared set-up for the checkout and payments integration tests (imported by tests only).
import { eq } from 'drizzle-orm';
import type { TestApp } from '../../../test/helpers/test-app.js';
import { orders, payments, senders } from '../../db/schema.js';
import type { AppContext } from '../../platform/app-context.js';

let botSeq = BigInt(Date.now()) * 1000n;
let ipSeq = 1;
let emailSeq = 1;

export async function addSenders(ctx: AppContext, n: number): Promise<void> {
  if (n <= 0) return;
  const rows = Array.from({ length: n }, () => {
    const id = botSeq++;
    return { telegramBotId: id, username: `stock_${id}_bot`, tokenEncrypted: 'sandbox:test', isSandbox: true };
  });
  await ctx.db.insert(senders).values(rows);
}

/** A fresh client address: each test request gets its own per-IP rate-limit bucket. */
export function freshIp(): string {
  const n = ipSeq++;
  return `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
}

export function freshEmail(tag = 'buyer'): string {
  return `${tag}.${Date.now().toString(36)}.${emailSeq++}@example.com`;
}

export async function checkout(t: TestApp, body: Record<string, unknown>, ip = freshIp()) {
  return t.api('POST', '/api/payment/create', body, { 'x-forwarded-for': ip });
}

export async function countFulfilJobs(ctx: AppContext, orderId: string): Promise<number> {
  const { rows } = await ctx.database.executor.executeSql(`select count(*)::int as n from pgboss.job where name = 'fulfil-order' and data->>'orderId' = $1`, [
    orderId,
  ]);
  return Number(rows[0]!.n);
}

export async function loadOrder(ctx: AppContext, orderId: string) {
  const [order] = await ctx.db.select().from(orders).where(eq(orders.id, orderId));
  const [payment] = await ctx.db.select().from(payments).where(eq(payments.orderId, orderId));
  const held = await ctx.db.select().from(senders).where(eq(senders.orderId, orderId));
  return { order: order!, payment: payment!, senders: held };
}

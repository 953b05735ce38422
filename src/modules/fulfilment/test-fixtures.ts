// Test-only helpers for fulfilment and the customer API: stock, paid orders and sessions
// written straight to the database, the way checkout leaves them after a payment.
import { randomInt } from 'node:crypto';
import { and, eq, inArray, notExists, sql } from 'drizzle-orm';
import { adbots, emails, orders, plans, posts, senders, targetChats, users } from '../../db/schema.js';
import type { AppContext } from '../../platform/app-context.js';
import { signSessionToken } from '../accounts/tokens.js';

let botSeq = 0;

/** Leaves exactly `count` unused senders in stock (other states are untouched). */
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

export async function addStock(ctx: AppContext, count: number): Promise<string[]> {
  if (count === 0) return [];
  const rows = await ctx.db
    .insert(senders)
    .values(
      Array.from({ length: count }, () => {
        const n = ++botSeq;
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

export type PaidOrderOptions = {
  email: string;
  plan: string;
  /** Reserve stock the way checkout does (default true); false = the reservation lapsed. */
  reserve?: boolean;
  resellerId?: string;
  paidAt?: Date;
};

/** A customer's order as checkout + IPN leave it: paid, plan snapshot, senders reserved. */
export async function createPaidOrder(ctx: AppContext, opts: PaidOrderOptions): Promise<{ orderId: string; userId: string }> {
  const email = opts.email.toLowerCase();
  await ctx.db.insert(users).values({ email }).onConflictDoNothing({ target: users.email });
  const [user] = await ctx.db.select().from(users).where(eq(users.email, email));
  const [plan] = await ctx.db.select().from(plans).where(eq(plans.slug, opts.plan));
  if (!user || !plan) throw new Error('fixture: unknown user or plan');
  const [bot] = await ctx.db.select().from(adbots).where(eq(adbots.userId, user.id));
  const kind = !bot || bot.sendersReleasedAt ? 'new' : bot.planId === plan.id ? 'renewal' : 'upgrade';
  const toReserve = kind === 'new' ? plan.senders : kind === 'renewal' ? 0 : Math.max(0, plan.senders - bot!.senderCount);
  const [order] = await ctx.db
    .insert(orders)
    .values({
      userId: user.id,
      planId: plan.id,
      kind,
      planSlug: plan.slug,
      planName: plan.name,
      priceCents: plan.priceCents,
      senders: plan.senders,
      postingIntervalSeconds: plan.postingIntervalSeconds,
      validityDays: plan.validityDays,
      sendersToReserve: toReserve,
      status: 'paid',
      payCurrency: 'btc',
      paidAt: opts.paidAt ?? new Date(),
      resellerId: opts.resellerId ?? null,
    })
    .returning({ id: orders.id });
  if (opts.reserve !== false && toReserve > 0) {
    const free = await ctx.db.select({ id: senders.id }).from(senders).where(eq(senders.state, 'unused')).limit(toReserve);
    if (free.length < toReserve) throw new Error('fixture: not enough stock to reserve');
    await ctx.db
      .update(senders)
      .set({ state: 'reserved', orderId: order!.id })
      .where(
        inArray(
          senders.id,
          free.map((f) => f.id),
        ),
      );
  }
  return { orderId: order!.id, userId: user.id };
}

export async function tokenFor(ctx: AppContext, userId: string, role: 'customer' | 'admin' = 'customer'): Promise<string> {
  return signSessionToken({ id: userId, role }, ctx.config.jwtSecret);
}

export async function adminToken(ctx: AppContext): Promise<string> {
  const [admin] = await ctx.db.select({ id: users.id }).from(users).where(eq(users.role, 'admin')).limit(1);
  const id = admin?.id ?? (await ctx.db.insert(users).values({ role: 'admin' }).returning({ id: users.id }))[0]!.id;
  return tokenFor(ctx, id, 'admin');
}

export async function emailsTo(ctx: AppContext, to: string) {
  return ctx.db.select().from(emails).where(eq(emails.toAddress, to.toLowerCase())).orderBy(emails.createdAt);
}

/** The access code as the customer reads it in the fulfilment email. */
export function accessCodeFrom(bodyText: string): string | null {
  return /^Access code: (\S+)$/m.exec(bodyText)?.[1] ?? null;
}

export async function adbotOf(ctx: AppContext, userId: string) {
  const [bot] = await ctx.db.select().from(adbots).where(eq(adbots.userId, userId));
  const held = bot ? await ctx.db.select().from(senders).where(eq(senders.adbotId, bot.id)) : [];
  return { bot, senders: held };
}

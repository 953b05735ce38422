import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { adbots, orders, senders, users } from '../../db/schema.js';
import { encrypt } from '../../lib/crypto.js';
import type { AppContext } from '../../platform/app-context.js';
import { logActivity } from '../../platform/log-activity.js';
import { observeFulfilment } from '../../platform/metrics.js';
import { notifyAdmins } from '../../platform/notifications/notify-admins.js';
import { notifyUser } from '../../platform/notifications/notify-user.js';
import { queueEmail } from '../../platform/notifications/queue-email.js';
import { issueAccessCode } from '../accounts/issue-access-code.js';
import { issueLicenseKey } from '../accounts/issue-license-key.js';
import { applyPlanToAdbot, createAdbot } from '../adbots/adbot-lifecycle.js';
import { markOrderBackordered, transitionOrder } from '../checkout/transition-order.js';
import { bookCommission } from '../resellers/book-commission.js';
import { assignSenders, topUpReservation } from '../stock/assign-senders.js';
import { releaseAdbotSenders } from '../stock/release-adbot-senders.js';
import { countOwedToBackorders } from '../stock/reserve-senders.js';
import { fulfilmentEmail, fulfilmentNotification } from './fulfilment-messages.js';

export type FulfilOrderOptions = {
  ctx: AppContext;
  orderId: string;
  now?: Date;
};

export type FulfilOrderResult = 'fulfilled' | 'already_fulfilled' | 'backordered' | 'not_payable' | 'not_found';

const DAY_MS = 86_400_000;

type Order = typeof orders.$inferSelect;
type Adbot = typeof adbots.$inferSelect;

/**
 * The one path that completes a paid order. Idempotent per order: everything happens in
 * one transaction under the order's row lock, and only a 'paid' order gets past the guard,
 * so a retried or duplicated job, a crash half-way, or a race with the admin "re-run" all
 * converge on exactly one provisioning. What the purchase is (new, renewal, upgrade) is the
 * `kind` checkout stored on the order.
 */
export async function fulfilOrder({ ctx, orderId, now = new Date() }: FulfilOrderOptions): Promise<FulfilOrderResult> {
  return ctx.db.transaction(async (tx) => {
    const [order] = await tx.select().from(orders).where(eq(orders.id, orderId)).for('update');
    if (!order) {
      ctx.log.warn({ orderId }, 'fulfil-order: no such order');
      return 'not_found';
    }
    if (order.status === 'fulfilled') return 'already_fulfilled';
    if (order.status !== 'paid') {
      ctx.log.warn({ orderId, status: order.status }, 'fulfil-order: order is not paid; nothing to do');
      return 'not_payable';
    }

    // Serialises the fulfilments of one customer: two orders paid together must not both create an adbot.
    const [user] = await tx.select().from(users).where(eq(users.id, order.userId)).for('update');
    if (!user) throw new Error(`order ${orderId} has no user`);
    const [adbot] = await tx.select().from(adbots).where(eq(adbots.userId, user.id)).for('update');
    const usable = adbot ? await countUsableSenders(tx, adbot.id) : 0;
    const missing = await reserveMissingSenders(tx, order, adbot, usable);
    if (missing > 0) {
      await backorder({ ctx, tx, order, missing });
      return 'backordered';
    }

    const { adbotId, expiresAt } = await provisionAdbot({ ctx, tx, order, adbot, usable, now });
    await assignSenders({ tx, orderId, adbotId });
    const accessCode = await tellCustomer({ ctx, tx, order, user, expiresAt });
    if (order.resellerId) await bookCommission({ tx, orderId, resellerId: order.resellerId, priceCents: order.priceCents });

    const sealed = accessCode ? { pendingAccessCode: encrypt(accessCode, ctx.config.encryptionKey) } : {};
    const done = await transitionOrder(tx, orderId, { to: 'fulfilled', from: ['paid'], set: { fulfilledAt: now, backordered: false, ...sealed } });
    if (!done.moved) throw new Error(`order ${orderId} left 'paid' under its row lock (now ${done.status})`);
    await logActivity({
      db: tx,
      actorRole: 'system',
      action: 'order.fulfilled',
      subjectType: 'order',
      subjectId: orderId,
      details: { kind: order.kind, adbotId, plan: order.planSlug, expiresAt: expiresAt.toISOString() },
    });
    if (order.paidAt) observeFulfilment((now.getTime() - order.paidAt.getTime()) / 1000);
    return 'fulfilled';
  });
}

/** Tops the order's reservation up to what the plan needs; returns how many senders are still missing. */
async function reserveMissingSenders(tx: Tx, order: Order, adbot: Adbot | undefined, usable: number): Promise<number> {
  // A banned sender still attached holds its slot: replacing it is the engine's replacement
  // flow's job, so a renewal never waits on stock for it (and still extends the expiry).
  const held = adbot ? Math.max(usable, Math.min(adbot.senderCount, usable + (await countBannedSenders(tx, adbot.id)))) : 0;
  const needed = Math.max(0, order.senders - held);
  // Paid back-orders were first: a payment that is not one of them leaves their senders alone.
  const leave = order.backordered ? 0 : await countOwedToBackorders(tx);
  const reserved = await topUpReservation({ tx, orderId: order.id, count: needed, leave });
  return needed - reserved;
}

type ProvisionOptions = { ctx: AppContext; tx: Tx; order: Order; adbot: Adbot | undefined; usable: number; now: Date };

/** The customer's one adbot gets the order's plan: created on the first purchase, else extended. */
async function provisionAdbot({ ctx, tx, order, adbot, usable, now }: ProvisionOptions): Promise<{ adbotId: string; expiresAt: Date }> {
  const validityMs = order.validityDays * DAY_MS;
  const plan = { planId: order.planId, postingIntervalSeconds: order.postingIntervalSeconds, senderCount: order.senders };
  if (!adbot) {
    const expiresAt = new Date(now.getTime() + validityMs);
    return { adbotId: await createAdbot(tx, order.userId, { ...plan, expiresAt }), expiresAt };
  }
  const expiresAt = new Date(Math.max(now.getTime(), adbot.expiresAt.getTime()) + validityMs);
  if (usable > order.senders) await releaseAdbotSenders({ tx, adbotId: adbot.id, count: usable - order.senders, jobs: ctx.jobs });
  await applyPlanToAdbot(tx, adbot, { ...plan, expiresAt });
  return { adbotId: adbot.id, expiresAt };
}

type TellCustomerOptions = { ctx: AppContext; tx: Tx; order: Order; user: typeof users.$inferSelect; expiresAt: Date };

/** Codes, the in-app notification and the email, worded for the stored kind; returns a first access code. */
async function tellCustomer({ ctx, tx, order, user, expiresAt }: TellCustomerOptions): Promise<string | null> {
  const accessCode = user.accessCodeHash ? null : await issueAccessCode({ tx, userId: user.id });
  const licenseKey = await issueLicenseKey({ tx, userId: user.id, orderId: order.id });
  const message = {
    kind: order.kind,
    orderNumber: order.orderNumber,
    planName: order.planName,
    senders: order.senders,
    postingIntervalSeconds: order.postingIntervalSeconds,
    expiresAt,
    dashboardUrl: `${ctx.config.publicUrl}/dashboard`,
    accessCode,
    licenseKey,
  };
  const dedupeKey = `order:${order.id}:fulfilled`;
  await notifyUser({ db: tx, userId: user.id, kind: `order_${order.kind}`, ...fulfilmentNotification(message), dedupeKey });
  if (user.email) await queueEmail({ ctx, tx, to: user.email, ...fulfilmentEmail(message), dedupeKey });
  return accessCode;
}

async function countUsableSenders(tx: Tx, adbotId: string): Promise<number> {
  const [row] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(senders)
    .where(and(eq(senders.adbotId, adbotId), inArray(senders.state, ['assigned', 'frozen'])));
  return row?.n ?? 0;
}

async function countBannedSenders(tx: Tx, adbotId: string): Promise<number> {
  const [row] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(senders)
    .where(and(eq(senders.adbotId, adbotId), eq(senders.state, 'banned')));
  return row?.n ?? 0;
}

type BackorderOptions = { ctx: AppContext; tx: Tx; order: Order; missing: number };

/** Paid but no stock: keep what was reserved, flag the order, and tell the admins once. */
async function backorder({ ctx, tx, order, missing }: BackorderOptions): Promise<void> {
  if (order.backordered) return;
  await markOrderBackordered(tx, order.id);
  const text = `Order #${order.orderNumber} (${order.planName}) is paid but ${missing} sender${missing === 1 ? '' : 's'} short. Add stock: it is fulfilled automatically.`;
  await notifyAdmins({ db: tx, kind: 'order_backordered', title: 'Paid order waiting for stock', body: text, dedupeKey: `order:${order.id}:backordered` });
  await logActivity({
    db: tx,
    actorRole: 'system',
    action: 'order.backordered',
    subjectType: 'order',
    subjectId: order.id,
    details: { missing },
  });
  ctx.log.warn({ orderId: order.id, missing }, 'paid order back-ordered: not enough senders in stock');
}

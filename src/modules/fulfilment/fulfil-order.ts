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

/**
 * The one path that completes a paid order. Idempotent per order: everything happens in
 * one transaction under the order's row lock, and only a 'paid' order gets past the guard,
 * so a retried or duplicated job, a crash half-way, or a race with the admin "re-run" all
 * converge on exactly one provisioning.
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
    // A banned sender still attached holds its slot: replacing it is the engine's replacement
    // flow's job, so a renewal never waits on stock for it (and still extends the expiry).
    const held = adbot ? Math.max(usable, Math.min(adbot.senderCount, usable + (await countBannedSenders(tx, adbot.id)))) : 0;
    const needed = Math.max(0, order.senders - held);
    // Paid back-orders were first: a payment that is not one of them leaves their senders alone.
    const leave = order.backordered ? 0 : await countOwedToBackorders(tx);
    const reserved = await topUpReservation({ tx, orderId, count: needed, leave });
    if (reserved < needed) {
      await backorder({ ctx, tx, order, missing: needed - reserved });
      return 'backordered';
    }

    const kind: 'new' | 'renewal' | 'upgrade' = !adbot ? 'new' : adbot.planId === order.planId ? 'renewal' : 'upgrade';
    const validityMs = order.validityDays * DAY_MS;
    let adbotId: string;
    let expiresAt: Date;
    if (!adbot) {
      expiresAt = new Date(now.getTime() + validityMs);
      const [created] = await tx
        .insert(adbots)
        .values({
          userId: user.id,
          planId: order.planId,
          status: 'stopped',
          postingIntervalSeconds: order.postingIntervalSeconds,
          senderCount: order.senders,
          expiresAt,
        })
        .returning({ id: adbots.id });
      adbotId = created!.id;
    } else {
      adbotId = adbot.id;
      expiresAt = new Date(Math.max(now.getTime(), adbot.expiresAt.getTime()) + validityMs);
      if (usable > order.senders) await releaseAdbotSenders({ tx, adbotId, count: usable - order.senders, jobs: ctx.jobs });
      await tx
        .update(adbots)
        .set({
          planId: order.planId,
          postingIntervalSeconds: order.postingIntervalSeconds,
          senderCount: order.senders,
          expiresAt,
          // An expired bot comes back stopped: the customer decides when posting resumes.
          status: adbot.status === 'expired' ? 'stopped' : adbot.status,
          sendersReleasedAt: null,
          updatedAt: sql`now()`,
        })
        .where(eq(adbots.id, adbotId));
    }
    await assignSenders({ tx, orderId, adbotId });

    let accessCode: string | null = null;
    if (!user.accessCodeHash) accessCode = await issueAccessCode({ tx, userId: user.id });
    const licenseKey = await issueLicenseKey({ tx, userId: user.id, orderId });

    const message = {
      kind,
      orderNumber: order.orderNumber,
      planName: order.planName,
      senders: order.senders,
      postingIntervalSeconds: order.postingIntervalSeconds,
      expiresAt,
      dashboardUrl: `${ctx.config.publicUrl}/dashboard`,
      accessCode,
      licenseKey,
    };
    const note = fulfilmentNotification(message);
    await notifyUser({ db: tx, userId: user.id, kind: `order_${kind}`, ...note, dedupeKey: `order:${orderId}:fulfilled` });
    if (user.email) {
      await queueEmail({ ctx, tx, to: user.email, ...fulfilmentEmail(message), dedupeKey: `order:${orderId}:fulfilled` });
    }
    if (order.resellerId) {
      await bookCommission({ tx, orderId, resellerId: order.resellerId, priceCents: order.priceCents });
    }

    await tx
      .update(orders)
      .set({
        status: 'fulfilled',
        fulfilledAt: now,
        backordered: false,
        ...(accessCode ? { pendingAccessCode: encrypt(accessCode, ctx.config.encryptionKey) } : {}),
        updatedAt: sql`now()`,
      })
      .where(eq(orders.id, orderId));
    await logActivity({
      db: tx,
      actorRole: 'system',
      action: 'order.fulfilled',
      subjectType: 'order',
      subjectId: orderId,
      details: { kind, adbotId, plan: order.planSlug, expiresAt: expiresAt.toISOString() },
    });
    if (order.paidAt) observeFulfilment((now.getTime() - order.paidAt.getTime()) / 1000);
    return 'fulfilled';
  });
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

type BackorderOptions = { ctx: AppContext; tx: Tx; order: typeof orders.$inferSelect; missing: number };

/** Paid but no stock: keep what was reserved, flag the order, and tell the admins once. */
async function backorder({ ctx, tx, order, missing }: BackorderOptions): Promise<void> {
  if (order.backordered) return;
  await tx.update(orders).set({ backordered: true, updatedAt: sql`now()` }).where(eq(orders.id, order.id));
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

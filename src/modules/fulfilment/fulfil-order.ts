import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { adbots, orders, plans, senders, users } from '../../db/schema.js';
import { encrypt } from '../../lib/crypto.js';
import type { AppContext } from '../../platform/app-context.js';
import { logActivity } from '../../platform/log-activity.js';
import { observeFulfilment } from '../../platform/metrics.js';
import { notifyAdmins } from '../../platform/notifications/notify-admins.js';
import { notifyUser } from '../../platform/notifications/notify-user.js';
import { queueEmail } from '../../platform/notifications/queue-email.js';
import { decidePlanChange, type HeldAdbot, type PlanChange } from '../../shared/plan-change.js';
import { issueLicenseKey } from '../accounts/issue-license-key.js';
import { secureAccountOnPayment } from '../accounts/secure-account-on-payment.js';
import { applyPlanToAdbot, createAdbot } from '../adbots/adbot-lifecycle.js';
import { markOrderBackordered, transitionOrder } from '../checkout/transition-order.js';
import { rescheduleAdbotChats } from '../engine/reschedule-adbot-chats.js';
import { bookCommission } from '../resellers/book-commission.js';
import { assignSenders, topUpReservation } from '../stock/assign-senders.js';
import { releaseAdbotSenders } from '../stock/release-adbot-senders.js';
import { countOwedToBackorders } from '../stock/reserve-senders.js';
import { creditRunningPlan } from './credit-running-plan.js';
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
 * converge on exactly one provisioning. What the purchase does is decided here, from the adbot
 * as it is now (src/shared/plan-change.ts): checkout's stored kind may be stale, and a paid order never
 * lowers a running plan.
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
    const runningPlan = adbot ? await planOf(tx, adbot.planId) : undefined;
    const change = decidePlanChange(order, adbot && runningPlan && heldAdbot(adbot, runningPlan), now);

    let done: Provisioned;
    if (change.outcome === 'credit') {
      const { expiresAt } = await creditRunningPlan({ ctx, tx, order, adbot: adbot!, runningPlan: runningPlan!, days: change.days, now });
      done = {
        adbotId: adbot!.id,
        expiresAt,
        shown: { planName: runningPlan!.name, senders: adbot!.senderCount, postingIntervalSeconds: adbot!.postingIntervalSeconds },
      };
    } else {
      const provisioned = await provisionPlan({ ctx, tx, order, adbot, now });
      if (provisioned === 'backordered') return 'backordered';
      done = provisioned;
    }

    const sealed = await tellCustomer({ ctx, tx, order, user, change, done, now });
    if (order.resellerId) await bookCommission({ tx, orderId, resellerId: order.resellerId, priceCents: order.priceCents });

    const creditedDays = change.outcome === 'credit' ? change.days : null;
    const moved = await transitionOrder(tx, orderId, {
      to: 'fulfilled',
      from: ['paid'],
      set: { fulfilledAt: now, backordered: false, creditedDays, ...sealed },
    });
    if (!moved.moved) throw new Error(`order ${orderId} left 'paid' under its row lock (now ${moved.status})`);
    await logActivity({
      db: tx,
      actorRole: 'system',
      action: 'order.fulfilled',
      subjectType: 'order',
      subjectId: orderId,
      details: {
        kind: change.outcome,
        storedKind: order.kind,
        adbotId: done.adbotId,
        plan: order.planSlug,
        creditedDays,
        expiresAt: done.expiresAt.toISOString(),
      },
    });
    if (order.paidAt) observeFulfilment((now.getTime() - order.paidAt.getTime()) / 1000);
    return 'fulfilled';
  });
}

/** Where the order left the adbot, and the plan the customer is told they now run. */
type Provisioned = { adbotId: string; expiresAt: Date; shown: { planName: string; senders: number; postingIntervalSeconds: number } };

type RunningPlan = { name: string; priceCents: number };

async function planOf(tx: Tx, planId: string): Promise<RunningPlan | undefined> {
  const [plan] = await tx.select({ name: plans.name, priceCents: plans.priceCents }).from(plans).where(eq(plans.id, planId));
  return plan;
}

function heldAdbot(adbot: Adbot, plan: RunningPlan): HeldAdbot {
  return {
    planId: adbot.planId,
    senderCount: adbot.senderCount,
    planPriceCents: plan.priceCents,
    status: adbot.status,
    expiresAt: adbot.expiresAt,
    sendersReleased: adbot.sendersReleasedAt !== null,
  };
}

type ProvisionPlanOptions = { ctx: AppContext; tx: Tx; order: Order; adbot: Adbot | undefined; now: Date };

/** The order's own plan for the adbot (new, renewal or upgrade): its senders from stock, or a back-order. */
async function provisionPlan({ ctx, tx, order, adbot, now }: ProvisionPlanOptions): Promise<Provisioned | 'backordered'> {
  const usable = adbot ? await countUsableSenders(tx, adbot.id) : 0;
  const missing = await reserveMissingSenders(tx, order, adbot, usable);
  if (missing > 0) {
    await backorder({ ctx, tx, order, missing });
    return 'backordered';
  }
  const { adbotId, expiresAt } = await provisionAdbot({ ctx, tx, order, adbot, usable, now });
  await assignSenders({ tx, orderId: order.id, adbotId });
  return { adbotId, expiresAt, shown: { planName: order.planName, senders: order.senders, postingIntervalSeconds: order.postingIntervalSeconds } };
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

/**
 * The customer's one adbot gets the order's plan: created on the first purchase, else extended.
 * Fewer senders than it holds happens only when its plan is no longer running (src/shared/plan-change.ts):
 * the surplus goes back to stock.
 */
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
  if (plan.postingIntervalSeconds !== adbot.postingIntervalSeconds) await rescheduleAdbotChats({ db: tx, adbotId: adbot.id });
  return { adbotId: adbot.id, expiresAt };
}

type TellCustomerOptions = { ctx: AppContext; tx: Tx; order: Order; user: typeof users.$inferSelect; change: PlanChange; done: Provisioned; now: Date };

/**
 * Codes (secure-account-on-payment.ts), the in-app notification and the email, worded for what
 * fulfilment did; returns the sealed code for the order's one-time checkout panel, if it may show one.
 */
async function tellCustomer({ ctx, tx, order, user, change, done, now }: TellCustomerOptions): Promise<{ pendingAccessCode?: string }> {
  const access = await secureAccountOnPayment({ tx, user, order, encryptionKey: ctx.config.encryptionKey, now });
  if (access.reason === 'rotated') {
    await logActivity({
      db: tx,
      actorRole: 'system',
      action: 'customer.access_code_rotated',
      subjectType: 'user',
      subjectId: user.id,
      details: { reason: 'shown_at_checkout', orderId: order.id, shownToPayer: access.showToPayer },
    });
  }
  const licenseKey = await issueLicenseKey({ tx, userId: user.id, orderId: order.id });
  const message = {
    kind: change.outcome,
    orderNumber: order.orderNumber,
    ...done.shown,
    expiresAt: done.expiresAt,
    dashboardUrl: `${ctx.config.publicUrl}/dashboard`,
    accessCode: access.accessCode,
    accessCodeRotated: access.reason === 'rotated',
    licenseKey,
    ...(change.outcome === 'credit' ? { credit: { paidPlanName: order.planName, days: change.days } } : {}),
  };
  const dedupeKey = `order:${order.id}:fulfilled`;
  await notifyUser({ db: tx, userId: user.id, kind: `order_${change.outcome}`, ...fulfilmentNotification(message), dedupeKey });
  if (user.email) await queueEmail({ ctx, tx, to: user.email, ...fulfilmentEmail(message), dedupeKey });
  return access.accessCode && access.showToPayer ? { pendingAccessCode: encrypt(access.accessCode, ctx.config.encryptionKey) } : {};
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

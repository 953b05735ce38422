// A payment id we did not create is not a stranger until proven one. NOWPayments records a buyer's
// second transfer to the same address as a NEW child payment (`parent_payment_id` = the invoice),
// and a process killed between the provider making the invoice and us storing it leaves a signed
// payment that names our `order_id` while our row has no provider id. Both are ours: linked (or
// adopted) under the lock, so the webhook answers 200 and the order counts the money. Only a
// payment nothing of ours claims stays unknown, and an admin hears of it.
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { preparedFor } from '../../db/prepared.js';
import { orders, payments } from '../../db/schema.js';
import { logActivity } from '../../platform/log-activity.js';
import { notifyAdmins } from '../../platform/notifications/notify-admins.js';
import { touchOrder } from '../checkout/transition-order.js';

type Payment = typeof payments.$inferSelect;
type Order = typeof orders.$inferSelect;

/** A payment and its order, both locked (in that order, as every status change takes them). */
export type LockedPayment = { payment: Payment; order: Order };

export type UnknownPaymentClaim = {
  providerPaymentId: string;
  /** NOWPayments' `parent_payment_id`: the payment this one tops up. */
  parentProviderPaymentId?: string | null;
  /** Our order id, as the signed body or the provider's API gives it. */
  orderId?: string | null;
  payCurrency?: string | null;
  payAmount?: string | null;
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The payment row and its order, locked: found, linked as a re-deposit, or adopted; null when
 * nothing of ours claims it. A payment we know (every status but a re-deposit's first) takes
 * both locks in one statement: one round trip on the path every IPN and poll takes.
 */
export async function lockOrLinkPayment(tx: Tx, claim: UnknownPaymentClaim): Promise<LockedPayment | null> {
  const found = await lockWithOrder(tx, claim.providerPaymentId);
  if (found) return found;
  const invoice = await findClaimedInvoice(tx, claim);
  if (!invoice) return null;
  const payment = invoice.providerPaymentId === null ? await adoptInvoice(tx, invoice, claim) : await linkChild(tx, invoice, claim);
  if (!payment) return null;
  const [order] = await tx.select().from(orders).where(eq(orders.id, payment.orderId)).for('update');
  return order ? { payment, order } : null;
}

/**
 * FOR UPDATE over the join locks the payment row, then the order's (range-table order).
 * Prepared once and run on the transaction's connection (src/db/prepared.ts).
 */
async function lockWithOrder(tx: Tx, providerPaymentId: string): Promise<LockedPayment | null> {
  const [row] = await preparedFor(tx, 'payment_lock_with_order', (db) =>
    db
      .select({ payment: payments, order: orders })
      .from(payments)
      .innerJoin(orders, eq(orders.id, payments.orderId))
      .where(eq(payments.providerPaymentId, sql.placeholder('providerPaymentId')))
      .for('update')
      .prepare('payment_lock_with_order'),
  ).execute({ providerPaymentId });
  return row ?? null;
}

async function lockByProviderId(tx: Tx, providerPaymentId: string): Promise<Payment | null> {
  const [row] = await tx.select().from(payments).where(eq(payments.providerPaymentId, providerPaymentId)).for('update');
  return row ?? null;
}

/** The invoice the unknown payment belongs to: its parent's, or else its order's. */
async function findClaimedInvoice(tx: Tx, claim: UnknownPaymentClaim): Promise<Payment | null> {
  if (claim.parentProviderPaymentId) {
    const [parent] = await tx.select().from(payments).where(eq(payments.providerPaymentId, claim.parentProviderPaymentId));
    // A child of a child still tops up the same invoice.
    if (parent?.parentProviderPaymentId) {
      const [root] = await tx.select().from(payments).where(eq(payments.providerPaymentId, parent.parentProviderPaymentId));
      return root ?? parent;
    }
    if (parent) return parent;
  }
  if (!claim.orderId || !UUID.test(claim.orderId)) return null;
  const [invoice] = await tx
    .select()
    .from(payments)
    .where(and(eq(payments.orderId, claim.orderId), isNull(payments.parentProviderPaymentId)))
    .for('update');
  return invoice ?? null;
}

/**
 * The crash window: NOWPayments made the invoice, we never stored its id, and the reconciler
 * failed our row (or will). The signed payment names our order, so it is that invoice.
 */
async function adoptInvoice(tx: Tx, invoice: Payment, claim: UnknownPaymentClaim): Promise<Payment> {
  const [adopted] = await tx
    .update(payments)
    .set({
      providerPaymentId: claim.providerPaymentId,
      // Back to waiting so the reported status applies along the forward machine.
      status: 'waiting',
      ...(claim.payAmount ? { payAmount: claim.payAmount } : {}),
      ...(claim.payCurrency ? { payCurrency: claim.payCurrency } : {}),
      updatedAt: new Date(),
    })
    .where(eq(payments.id, invoice.id))
    .returning();
  // The order was failed with its invoice; the money revives it (failed → paid is allowed).
  await logActivity({
    db: tx,
    actorRole: 'provider',
    action: 'payment.adopted',
    subjectType: 'order',
    subjectId: invoice.orderId,
    details: { providerPaymentId: claim.providerPaymentId, previousStatus: invoice.status },
  });
  return adopted!;
}

/** A re-deposit (or a second payment naming our order): its own row, counted towards the order. */
async function linkChild(tx: Tx, invoice: Payment, claim: UnknownPaymentClaim): Promise<Payment | null> {
  const payCurrency = (claim.payCurrency ?? invoice.payCurrency).toLowerCase();
  await tx
    .insert(payments)
    .values({
      orderId: invoice.orderId,
      provider: invoice.provider,
      providerPaymentId: claim.providerPaymentId,
      parentProviderPaymentId: invoice.providerPaymentId,
      status: 'waiting',
      payAddress: invoice.payAddress,
      payAmount: claim.payAmount ?? null,
      payCurrency,
      network: invoice.network,
      payinExtraId: invoice.payinExtraId,
      priceCents: invoice.priceCents,
    })
    .onConflictDoNothing({ target: payments.providerPaymentId });
  const child = await lockByProviderId(tx, claim.providerPaymentId);
  // The order now counts one more payment: its row version moves with it (touchOrder).
  const order = await touchOrder(tx, invoice.orderId);
  await logActivity({
    db: tx,
    actorRole: 'provider',
    action: 'payment.redeposit_linked',
    subjectType: 'order',
    subjectId: invoice.orderId,
    details: { orderNumber: order?.orderNumber, providerPaymentId: claim.providerPaymentId, parentProviderPaymentId: invoice.providerPaymentId, payCurrency },
  });
  if (payCurrency !== invoice.payCurrency.toLowerCase()) {
    // Only money in the invoice's coin counts towards it: a person must look at the rest.
    await notifyAdmins({
      db: tx,
      kind: 'payment_other_coin',
      title: 'A payment in another coin names an order',
      body: `Payment ${claim.providerPaymentId} (${payCurrency.toUpperCase()}) was made for order #${order?.orderNumber}, whose invoice is in ${invoice.payCurrency.toUpperCase()}. It does not count towards the order: review it.`,
      dedupeKey: `payment:${claim.providerPaymentId}:other-coin`,
    });
  }
  return child;
}

/** A signed payment nothing of ours claims: kept (the caller records the delivery) and shown to admins once. */
export async function alertUnknownPayment(tx: Tx, claim: UnknownPaymentClaim & { status: string; actuallyPaid?: string | null }): Promise<void> {
  await notifyAdmins({
    db: tx,
    kind: 'payment_unknown',
    title: 'A payment we cannot match to an order',
    body: `NOWPayments reported payment ${claim.providerPaymentId} (${claim.status}${claim.actuallyPaid ? `, ${claim.actuallyPaid} ${(claim.payCurrency ?? '').toUpperCase()} received` : ''}) naming no order of ours. It was recorded in the IPN log: find the buyer or refund it.`,
    dedupeKey: `payment:${claim.providerPaymentId}:unknown`,
  });
}

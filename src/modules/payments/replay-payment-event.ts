// The admin's "replay": feeds a stored, verified delivery through the same convergent
// applyPaymentStatus as the webhook. The state machine makes it safe to press twice.
import { eq } from 'drizzle-orm';
import { paymentEvents } from '../../db/schema.js';
import { parseProviderPayment } from '../../integrations/nowpayments/parse-provider-payment.js';
import type { ProviderPayment } from '../../integrations/payment-provider.js';
import { AppError } from '../../lib/errors.js';
import type { AppContext } from '../../platform/app-context.js';
import { logActivity } from '../../platform/log-activity.js';
import { applyPaymentStatus } from './apply-payment-status.js';

export type ReplayPaymentEventOptions = {
  ctx: AppContext;
  eventId: string;
  /** null: the operator CLI, which acts as no signed-in admin. */
  adminUserId: string | null;
};

export type ReplayPaymentEventResult = {
  eventId: string;
  replayEventId: string;
  verdict: string;
  status: string | null;
  orderId: string | null;
  orderStatus: string | null;
  reason: string | null;
};

export async function replayPaymentEvent({ ctx, eventId, adminUserId }: ReplayPaymentEventOptions): Promise<ReplayPaymentEventResult> {
  const [event] = await ctx.db.select().from(paymentEvents).where(eq(paymentEvents.id, eventId));
  if (!event) throw new AppError('not_found', 'No such payment event');
  // A body we never verified is exactly what a forger would want an admin to replay.
  if (!event.signatureValid) throw new AppError('conflict', 'Only events with a valid signature can be replayed');
  if (event.source === 'admin') throw new AppError('conflict', "An admin's own record is not a provider event and cannot be replayed");
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(event.rawBody) as Record<string, unknown>;
  } catch {
    throw new AppError('conflict', 'The stored event body is not JSON');
  }
  let claimed: ProviderPayment;
  try {
    claimed = parseProviderPayment(body);
  } catch (err) {
    if (err instanceof AppError) throw new AppError('conflict', `The stored event cannot be replayed: ${err.message}`);
    throw err;
  }
  if (!claimed.providerPaymentId) throw new AppError('conflict', 'The stored event names no payment');
  if (!claimed.status) throw new AppError('conflict', `The stored event's status "${claimed.rawStatus}" is not one we act on`);

  const result = await applyPaymentStatus({
    ctx,
    providerPaymentId: claimed.providerPaymentId,
    status: claimed.status,
    actuallyPaid: claimed.actuallyPaid,
    claimed: { orderId: claimed.orderId, priceAmount: claimed.priceAmount, priceCurrency: claimed.priceCurrency },
    source: 'replay',
    // The replay's own row commits with the status it applies.
    event: {
      fields: {
        source: 'replay',
        providerPaymentId: claimed.providerPaymentId.slice(0, 100),
        status: claimed.rawStatus.slice(0, 50),
        signatureValid: true,
        rawBody: event.rawBody,
        headers: { 'x-replay-of': event.id, 'x-replayed-by': adminUserId ?? 'cli' },
      },
    },
  });
  const replay = { id: result.eventId! };
  await logActivity({
    db: ctx.db,
    actorUserId: adminUserId,
    actorRole: adminUserId ? 'admin' : 'system',
    action: 'payment_event.replayed',
    subjectType: 'order',
    subjectId: result.orderId ?? event.orderId ?? event.id,
    details: { eventId: event.id, replayEventId: replay.id, status: claimed.status, verdict: result.verdict },
  });
  return {
    eventId: event.id,
    replayEventId: replay.id,
    verdict: result.verdict,
    status: result.status ?? null,
    orderId: result.orderId ?? null,
    orderStatus: result.orderStatus ?? null,
    reason: result.reason ?? null,
  };
}

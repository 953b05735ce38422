import { asc, desc, eq, like, or } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { emails, licenseKeys, orders, paymentEvents, payments, resellers, users } from '../../db/schema.js';
import { AppError } from '../../lib/errors.js';
import { type AdminOrderRow, attentionSql } from './list-orders.js';

export type GetOrderDetailOptions = { db: DbOrTx; orderId: string };

export type AdminOrderDetail = {
  order: AdminOrderRow & {
    userId: string;
    planSlug: string;
    senders: number;
    postingIntervalSeconds: number;
    validityDays: number;
    sendersToReserve: number;
    resellerId: string | null;
    reservationExpiresAt: Date | null;
    licenseKeyHint: string | null;
  };
  payment: {
    id: string;
    provider: string;
    providerPaymentId: string | null;
    status: string;
    payAddress: string | null;
    payAmount: string | null;
    payCurrency: string;
    priceUsd: number;
    actuallyPaid: string | null;
    surplusAmount: string | null;
    expiresAt: Date | null;
    lastCheckedAt: Date | null;
    createdAt: Date;
  } | null;
  events: {
    id: string;
    source: string;
    status: string | null;
    signatureValid: boolean;
    verdict: string;
    receivedAt: Date;
    /** What the notification claimed, digits exactly as sent: "partially paid with the full amount" shows. */
    actuallyPaid: string | null;
    payAmount: string | null;
    payCurrency: string | null;
    /** The body as received, cut at RAW_LIMIT characters. */
    raw: string;
  }[];
  emails: { id: string; to: string; subject: string; status: string; createdAt: Date; sentAt: Date | null }[];
};

/** One order as the admin's detail view shows it: the order, its payment and the IPN timeline. */
const RAW_LIMIT = 8000;

/**
 * A field of the notification as the provider wrote it. Read from the text, not through
 * JSON.parse, so "0.123456789012345678" is not rounded to a double on its way to the admin.
 */
function rawField(raw: string, name: string): string | null {
  const m = new RegExp(`"${name}"\\s*:\\s*(?:"([^"\\\\]{0,64})"|(-?[0-9][0-9.eE+-]{0,63}))`).exec(raw);
  return m ? (m[1] ?? m[2] ?? null) : null;
}

function eventAmounts(raw: string) {
  return { actuallyPaid: rawField(raw, 'actually_paid'), payAmount: rawField(raw, 'pay_amount'), payCurrency: rawField(raw, 'pay_currency') };
}

export async function getOrderDetail({ db, orderId }: GetOrderDetailOptions): Promise<AdminOrderDetail> {
  const [row] = await db
    .select({
      order: orders,
      email: users.email,
      attention: attentionSql,
      payment: payments,
      keyHint: licenseKeys.keyHint,
      resellerCode: resellers.referralCode,
    })
    .from(orders)
    .innerJoin(users, eq(users.id, orders.userId))
    .leftJoin(payments, eq(payments.orderId, orders.id))
    .leftJoin(licenseKeys, eq(licenseKeys.orderId, orders.id))
    .leftJoin(resellers, eq(resellers.id, orders.resellerId))
    .where(eq(orders.id, orderId));
  if (!row) throw new AppError('not_found', 'No such order');
  const { order: o, payment: p } = row;

  const [events, mails] = await Promise.all([
    db
      .select({
        id: paymentEvents.id,
        source: paymentEvents.source,
        status: paymentEvents.status,
        signatureValid: paymentEvents.signatureValid,
        verdict: paymentEvents.verdict,
        receivedAt: paymentEvents.receivedAt,
        rawBody: paymentEvents.rawBody,
      })
      .from(paymentEvents)
      // Rejected deliveries are not linked to an order, but still name its payment.
      .where(
        p?.providerPaymentId
          ? or(eq(paymentEvents.orderId, orderId), eq(paymentEvents.providerPaymentId, p.providerPaymentId))
          : eq(paymentEvents.orderId, orderId),
      )
      .orderBy(asc(paymentEvents.receivedAt)),
    db
      .select({ id: emails.id, to: emails.toAddress, subject: emails.subject, status: emails.status, createdAt: emails.createdAt, sentAt: emails.sentAt })
      .from(emails)
      .where(like(emails.dedupeKey, `order:${orderId}:%`))
      .orderBy(desc(emails.createdAt)),
  ]);

  return {
    order: {
      id: o.id,
      orderNumber: Number(o.orderNumber),
      userId: o.userId,
      email: row.email,
      planSlug: o.planSlug,
      planName: o.planName,
      priceUsd: o.priceCents / 100,
      senders: o.senders,
      postingIntervalSeconds: o.postingIntervalSeconds,
      validityDays: o.validityDays,
      sendersToReserve: o.sendersToReserve,
      kind: o.kind,
      status: o.status,
      backordered: o.backordered,
      attention: row.attention,
      paymentStatus: p?.status ?? null,
      payCurrency: o.payCurrency,
      payAmount: p?.payAmount ?? null,
      actuallyPaid: p?.actuallyPaid ?? null,
      resellerId: o.resellerId,
      resellerCode: row.resellerCode,
      reservationExpiresAt: o.reservationExpiresAt,
      licenseKeyHint: row.keyHint ? `…${row.keyHint}` : null,
      createdAt: o.createdAt,
      paidAt: o.paidAt,
      fulfilledAt: o.fulfilledAt,
    },
    payment: p
      ? {
          id: p.id,
          provider: p.provider,
          providerPaymentId: p.providerPaymentId,
          status: p.status,
          payAddress: p.payAddress,
          payAmount: p.payAmount,
          payCurrency: p.payCurrency,
          priceUsd: p.priceCents / 100,
          actuallyPaid: p.actuallyPaid,
          surplusAmount: p.surplusAmount,
          expiresAt: p.expiresAt,
          lastCheckedAt: p.lastCheckedAt,
          createdAt: p.createdAt,
        }
      : null,
    events: events.map(({ rawBody, ...e }) => ({
      ...e,
      ...eventAmounts(rawBody),
      raw: rawBody.length > RAW_LIMIT ? `${rawBody.slice(0, RAW_LIMIT)}…` : rawBody,
    })),
    emails: mails,
  };
}

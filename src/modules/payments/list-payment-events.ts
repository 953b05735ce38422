import { desc, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { orders, paymentEvents } from '../../db/schema.js';

export type PaymentEventRow = {
  id: string;
  source: string;
  providerPaymentId: string | null;
  orderId: string | null;
  orderNumber: number | null;
  status: string | null;
  signatureValid: boolean;
  verdict: string;
  replayable: boolean;
  rawBody: string;
  receivedAt: Date;
};

export type ListPaymentEventsOptions = { db: DbOrTx; verdict?: string; limit: number; offset: number };

/** Stored webhook deliveries (and polls, replays), newest first. Headers are left out: they carry the signature. */
export async function listPaymentEvents({ db, verdict, limit, offset }: ListPaymentEventsOptions): Promise<{ events: PaymentEventRow[]; total: number }> {
  const where = verdict ? eq(paymentEvents.verdict, verdict) : undefined;
  const [rows, [count]] = await Promise.all([
    db
      .select({
        id: paymentEvents.id,
        source: paymentEvents.source,
        providerPaymentId: paymentEvents.providerPaymentId,
        orderId: paymentEvents.orderId,
        orderNumber: orders.orderNumber,
        status: paymentEvents.status,
        signatureValid: paymentEvents.signatureValid,
        verdict: paymentEvents.verdict,
        rawBody: paymentEvents.rawBody,
        receivedAt: paymentEvents.receivedAt,
      })
      .from(paymentEvents)
      .leftJoin(orders, eq(orders.id, paymentEvents.orderId))
      .where(where)
      .orderBy(desc(paymentEvents.receivedAt), desc(paymentEvents.id))
      .limit(limit)
      .offset(offset),
    db.select({ n: sql<number>`count(*)::int` }).from(paymentEvents).where(where),
  ]);
  return {
    events: rows.map((r) => ({
      ...r,
      orderNumber: r.orderNumber === null ? null : Number(r.orderNumber),
      replayable: r.signatureValid && r.providerPaymentId !== null,
    })),
    total: Number(count?.n ?? 0),
  };
}

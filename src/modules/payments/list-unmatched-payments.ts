// Money nothing of ours claims: a signed IPN for a payment id that no invoice, re-deposit or
// adoption links to an order (link-payment.ts answers it 200 and alerts the admins once). The
// alert is easy to miss; this is the list an operator works from, read from the stored IPN
// events themselves, so it shows exactly what NOWPayments said.
import Big from 'big.js';
import { and, desc, eq, inArray, isNotNull, notExists, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { paymentEvents, payments } from '../../db/schema.js';

export type UnmatchedPaymentEvent = { id: string; source: string; status: string | null; receivedAt: Date; rawBody: string };

export type UnmatchedPayment = {
  providerPaymentId: string;
  /** The latest status NOWPayments reported. */
  status: string | null;
  /** The most reported received across its IPNs (amounts only grow), as the provider wrote it. */
  actuallyPaid: string | null;
  payAmount: string | null;
  payCurrency: string | null;
  /** What the signed body named as its order: another shop's id, or one we never had. */
  claimedOrderId: string | null;
  firstSeenAt: Date;
  lastSeenAt: Date;
  deliveries: number;
  /** Its IPNs, newest first (at most EVENTS_PER_PAYMENT). */
  events: UnmatchedPaymentEvent[];
};

export type ListUnmatchedPaymentsOptions = { db: DbOrTx; limit: number; offset: number };

const EVENTS_PER_PAYMENT = 20;
const RAW_LIMIT = 8000;

/** Signed deliveries about a payment still unlinked: one linked later (an adoption) is no longer a stranger. */
function unmatchedWhere() {
  return and(
    eq(paymentEvents.verdict, 'unknown_payment'),
    eq(paymentEvents.signatureValid, true),
    isNotNull(paymentEvents.providerPaymentId),
    notExists(sql`(select 1 from ${payments} where ${payments.providerPaymentId} = ${paymentEvents.providerPaymentId})`),
  );
}

/** How many payments are waiting for a person (the overview's count). */
export async function countUnmatchedPayments({ db }: { db: DbOrTx }): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(distinct ${paymentEvents.providerPaymentId})::int` })
    .from(paymentEvents)
    .where(unmatchedWhere());
  return Number(row?.n ?? 0);
}

/** Unmatched payments, the most recently heard of first, each with its stored IPNs. */
export async function listUnmatchedPayments({ db, limit, offset }: ListUnmatchedPaymentsOptions): Promise<{ payments: UnmatchedPayment[]; total: number }> {
  const lastSeen = sql<Date>`max(${paymentEvents.receivedAt})`;
  const [groups, total] = await Promise.all([
    db
      .select({
        providerPaymentId: sql<string>`${paymentEvents.providerPaymentId}`,
        firstSeenAt: sql<Date>`min(${paymentEvents.receivedAt})`,
        lastSeenAt: lastSeen,
        deliveries: sql<number>`count(*)::int`,
      })
      .from(paymentEvents)
      .where(unmatchedWhere())
      .groupBy(paymentEvents.providerPaymentId)
      .orderBy(desc(lastSeen), paymentEvents.providerPaymentId)
      .limit(limit)
      .offset(offset),
    countUnmatchedPayments({ db }),
  ]);
  if (groups.length === 0) return { payments: [], total };

  const events = await db
    .select({
      id: paymentEvents.id,
      providerPaymentId: paymentEvents.providerPaymentId,
      source: paymentEvents.source,
      status: paymentEvents.status,
      receivedAt: paymentEvents.receivedAt,
      rawBody: paymentEvents.rawBody,
    })
    .from(paymentEvents)
    .where(
      and(
        unmatchedWhere(),
        inArray(
          paymentEvents.providerPaymentId,
          groups.map((g) => g.providerPaymentId),
        ),
      ),
    )
    .orderBy(desc(paymentEvents.receivedAt), desc(paymentEvents.id));
  const byId = new Map<string, typeof events>();
  for (const e of events) byId.set(e.providerPaymentId!, [...(byId.get(e.providerPaymentId!) ?? []), e]);

  return {
    payments: groups.map((g) => summarise(g, byId.get(g.providerPaymentId) ?? [])),
    total,
  };
}

type Group = { providerPaymentId: string; firstSeenAt: Date; lastSeenAt: Date; deliveries: number };
type StoredEvent = { id: string; source: string; status: string | null; receivedAt: Date; rawBody: string };

function summarise(g: Group, events: StoredEvent[]): UnmatchedPayment {
  const latest = events[0];
  const field = (name: string) => events.map((e) => rawField(e.rawBody, name)).find((v) => v !== null) ?? null;
  return {
    providerPaymentId: g.providerPaymentId,
    status: latest?.status ?? null,
    actuallyPaid: mostPaid(events.map((e) => rawField(e.rawBody, 'actually_paid'))),
    payAmount: field('pay_amount'),
    payCurrency: field('pay_currency'),
    claimedOrderId: field('order_id'),
    firstSeenAt: new Date(g.firstSeenAt),
    lastSeenAt: new Date(g.lastSeenAt),
    deliveries: Number(g.deliveries),
    events: events.slice(0, EVENTS_PER_PAYMENT).map((e) => ({
      id: e.id,
      source: e.source,
      status: e.status,
      receivedAt: new Date(e.receivedAt),
      rawBody: e.rawBody.slice(0, RAW_LIMIT),
    })),
  };
}

function mostPaid(amounts: (string | null)[]): string | null {
  let best: Big | null = null;
  let text: string | null = null;
  for (const a of amounts) {
    if (a === null) continue;
    try {
      const v = new Big(a);
      if (best === null || v.gt(best)) [best, text] = [v, a];
    } catch {
      // Not a number: the raw IPN is shown as it is.
    }
  }
  return text;
}

/**
 * A top-level field of the notification as the provider wrote it. Read from the text, not
 * through JSON.parse, so "0.123456789012345678" is not rounded to a double on its way to the
 * admin (the same reading as the order detail's IPN timeline). Bounded: 64 characters a value.
 */
function rawField(raw: string, name: string): string | null {
  const m = new RegExp(`"${name}"\\s*:\\s*(?:"([^"\\\\]{0,64})"|(-?[0-9][0-9.eE+-]{0,63}))`).exec(raw);
  return m ? (m[1] ?? m[2] ?? null) : null;
}

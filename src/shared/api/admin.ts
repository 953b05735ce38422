// The admin panel's API: what each route answers, as the server sends it and the panel reads
// it. Isomorphic (zod only). Dates are ISO strings; money is USD as a number (cents / 100).
import { z } from 'zod';
import { isoDateTime } from './common.js';

const nullableDate = isoDateTime.nullable();
const count = z.number().int();

export const planTypes = ['starter', 'enterprise'] as const;
export const orderStatuses = ['pending', 'partially_paid', 'paid', 'fulfilled', 'expired', 'failed', 'refunded', 'cancelled'] as const;
export const orderKinds = ['new', 'renewal', 'upgrade'] as const;
export const adbotStatuses = ['running', 'stopped', 'expired', 'suspended'] as const;
export const emailStatuses = ['queued', 'sent', 'outbox', 'failed'] as const;
export const attentionReasons = ['backordered', 'stuck', 'underpaid'] as const;

const byName = <const K extends readonly [string, ...string[]]>(keys: K) =>
  z.object(Object.fromEntries(keys.map((k) => [k, count])) as { [P in K[number]]: typeof count });

export const overviewSchema = z
  .object({
    revenueByDay: z.array(z.object({ date: z.string().describe('YYYY-MM-DD (UTC)'), usd: z.number() })),
    revenueByPlan: z.array(z.object({ plan: z.string(), usd: z.number(), orders: count })),
    revenue30dUsd: z.number(),
    activeBots: count,
    botsByStatus: byName(adbotStatuses),
    stock: byName(['unused', 'reserved', 'assigned', 'frozen', 'banned']),
    postsByDay: z.array(z.object({ date: z.string(), sent: count, failed: count })),
    ordersNeedingAttention: count,
    unmatchedPayments: count.describe('Payments NOWPayments reported (signed) that no order of ours claims'),
    paymentProvider: z.object({ name: z.string(), testMode: z.boolean(), reachable: z.boolean(), checkedAt: isoDateTime }),
  })
  .meta({ id: 'AdminOverview' });
export type Overview = z.infer<typeof overviewSchema>;

// Plans
export const planSchema = z
  .object({
    id: z.guid(),
    slug: z.string(),
    name: z.string(),
    planType: z.enum(planTypes),
    priceUsd: z.number(),
    senders: count,
    postingIntervalSeconds: count,
    validityDays: count,
    active: z.boolean(),
    sortOrder: count,
    createdAt: isoDateTime,
    updatedAt: isoDateTime,
  })
  .meta({ id: 'AdminPlan' });
export type Plan = z.infer<typeof planSchema>;
export const plansSchema = z.object({ products: z.array(planSchema) });
export const planResultSchema = z.object({ product: planSchema });

// Orders and payments
export const orderRowSchema = z
  .object({
    id: z.guid(),
    orderNumber: count,
    email: z.string().nullable(),
    planName: z.string(),
    priceUsd: z.number(),
    kind: z.enum(orderKinds),
    status: z.enum(orderStatuses),
    backordered: z.boolean(),
    attention: z.enum(attentionReasons).nullable(),
    paymentStatus: z.string().nullable(),
    payCurrency: z.string(),
    payAmount: z.string().nullable(),
    actuallyPaid: z.string().nullable(),
    resellerCode: z.string().nullable(),
    createdAt: isoDateTime,
    paidAt: nullableDate,
    fulfilledAt: nullableDate,
  })
  .meta({ id: 'AdminOrderRow' });
export type OrderRow = z.infer<typeof orderRowSchema>;
export const ordersSchema = z.object({ orders: z.array(orderRowSchema), total: count });

export const orderDetailSchema = z
  .object({
    order: orderRowSchema.extend({
      userId: z.guid(),
      planSlug: z.string(),
      senders: count,
      postingIntervalSeconds: count,
      validityDays: count,
      sendersToReserve: count,
      resellerId: z.guid().nullable(),
      reservationExpiresAt: nullableDate,
      licenseKeyHint: z.string().nullable(),
    }),
    payment: z
      .object({
        id: z.guid(),
        provider: z.string(),
        providerPaymentId: z.string().nullable(),
        status: z.string(),
        payAddress: z.string().nullable(),
        payAmount: z.string().nullable(),
        payCurrency: z.string(),
        priceUsd: z.number(),
        actuallyPaid: z.string().nullable(),
        surplusAmount: z.string().nullable(),
        expiresAt: nullableDate,
        lastCheckedAt: nullableDate,
        createdAt: isoDateTime,
      })
      .nullable(),
    events: z.array(
      z.object({
        id: z.guid(),
        source: z.string(),
        status: z.string().nullable(),
        signatureValid: z.boolean(),
        verdict: z.string(),
        receivedAt: isoDateTime,
        actuallyPaid: z.string().nullable(),
        payAmount: z.string().nullable(),
        payCurrency: z.string().nullable(),
        raw: z.string(),
      }),
    ),
    emails: z.array(z.object({ id: z.guid(), to: z.string(), subject: z.string(), status: z.string(), createdAt: isoDateTime, sentAt: nullableDate })),
  })
  .meta({ id: 'AdminOrderDetail' });
export type OrderDetail = z.infer<typeof orderDetailSchema>;

export const refundResultSchema = z.object({ orderId: z.guid(), orderStatus: z.string(), paymentStatus: z.string() });

export const paymentEventsSchema = z.object({
  events: z.array(
    z.object({
      id: z.guid(),
      source: z.string(),
      providerPaymentId: z.string().nullable(),
      orderId: z.guid().nullable(),
      orderNumber: count.nullable(),
      status: z.string().nullable(),
      signatureValid: z.boolean(),
      verdict: z.string(),
      replayable: z.boolean(),
      rawBody: z.string(),
      receivedAt: isoDateTime,
    }),
  ),
  total: count,
});

/** Signed payments no order claims, from the stored IPNs (src/modules/payments/list-unmatched-payments.ts). */
export const unmatchedPaymentsSchema = z
  .object({
    payments: z.array(
      z.object({
        providerPaymentId: z.string(),
        status: z.string().nullable(),
        actuallyPaid: z.string().nullable().describe('The most reported received, as the provider wrote it'),
        payAmount: z.string().nullable(),
        payCurrency: z.string().nullable(),
        claimedOrderId: z.string().nullable().describe('The order_id the signed body named (not one of ours)'),
        firstSeenAt: isoDateTime,
        lastSeenAt: isoDateTime,
        deliveries: count,
        events: z.array(z.object({ id: z.guid(), source: z.string(), status: z.string().nullable(), receivedAt: isoDateTime, rawBody: z.string() })),
      }),
    ),
    total: count,
  })
  .meta({ id: 'AdminUnmatchedPayments' });
export type UnmatchedPayments = z.infer<typeof unmatchedPaymentsSchema>;

export const replayResultSchema = z.object({
  eventId: z.guid(),
  replayEventId: z.guid(),
  verdict: z.string(),
  status: z.string().nullable(),
  orderId: z.guid().nullable(),
  orderStatus: z.string().nullable(),
  reason: z.string().nullable(),
});
export type ReplayResult = z.infer<typeof replayResultSchema>;

// Customers and their bots
export const customerSchema = z
  .object({
    id: z.guid(),
    email: z.string().nullable(),
    banned: z.boolean(),
    hasAccessCode: z.boolean(),
    accessCodeIssuedAt: nullableDate,
    createdAt: isoDateTime,
    orders: count,
    spentUsd: z.number(),
    adbot: z
      .object({
        id: z.guid(),
        status: z.enum(adbotStatuses),
        plan: z.string(),
        expiresAt: isoDateTime,
        senders: count,
        postingIntervalSeconds: count,
        sendersReleased: z.boolean(),
      })
      .nullable(),
  })
  .meta({ id: 'AdminCustomer' });
export type Customer = z.infer<typeof customerSchema>;
export const customersSchema = z.object({ customers: z.array(customerSchema), total: count });

export const accessCodeResultSchema = z.object({ accessCode: z.string().describe('Shown once: the customer logs in with it') });
export const banResultSchema = z.object({
  customer: z.object({ id: z.guid(), email: z.string().nullable(), banned: z.boolean(), botStopped: z.boolean() }),
});

/** One customer's bot as the admin reads it: the ad as stored, chats with their status, the latest posts. */
export const customerAdbotSchema = z
  .object({
    adbot: z.object({
      id: z.guid(),
      status: z.enum(adbotStatuses),
      planId: z.guid(),
      planSlug: z.string(),
      planName: z.string(),
      postingIntervalSeconds: count,
      senderCount: count,
      expiresAt: isoDateTime,
      /** The ad as stored (`{type: "text", text, imageUrl?, buttons?}` or `{type: "link", link, …}`), null before one is set. */
      post: z.record(z.string(), z.unknown()).nullable(),
      senders: z.array(z.object({ id: z.guid(), username: z.string(), state: z.string() })),
      chats: z.array(
        z.object({
          ref: z.string(),
          chatId: z.string().nullable(),
          title: z.string().nullable(),
          status: z.string(),
          senderUsername: z.string().nullable(),
          lastPostAt: nullableDate,
          nextPostAt: nullableDate,
          lastError: z.string().nullable(),
          lastPostUrl: z.string().nullable(),
          lastPostUnconfirmed: z.boolean(),
        }),
      ),
    }),
    recentPosts: z.array(
      z.object({
        id: z.guid(),
        status: z.string(),
        chatRef: z.string(),
        chatTitle: z.string().nullable(),
        senderUsername: z.string().nullable(),
        messageUrl: z.string().nullable(),
        error: z.string().nullable(),
        createdAt: isoDateTime,
        sentAt: nullableDate,
      }),
    ),
  })
  .meta({ id: 'AdminCustomerAdbot' });
export type CustomerAdbot = z.infer<typeof customerAdbotSchema>;

const adbotView = {
  id: z.guid(),
  userId: z.guid(),
  status: z.enum(adbotStatuses),
  expiresAt: isoDateTime,
  postingIntervalSeconds: count,
  sendersReleased: z.boolean(),
};
export const adbotsSchema = z.object({
  adbots: z.array(z.object({ ...adbotView, email: z.string().nullable(), plan: z.string(), senders: count, chats: count, createdAt: isoDateTime })),
  total: count,
});
export const adbotResultSchema = z.object({ adbot: z.object({ ...adbotView, senderCount: count }) });

// Records
export const emailsSchema = z.object({
  emails: z.array(
    z.object({
      id: z.guid(),
      to: z.string(),
      subject: z.string(),
      body: z.string(),
      status: z.enum(emailStatuses),
      error: z.string().nullable(),
      createdAt: isoDateTime,
      sentAt: nullableDate,
    }),
  ),
  total: count,
});

export const activitySchema = z.object({
  entries: z.array(
    z.object({
      id: z.guid(),
      actorUserId: z.guid().nullable(),
      actorEmail: z.string().nullable(),
      actorRole: z.string(),
      action: z.string(),
      subjectType: z.string().nullable(),
      subjectId: z.string().nullable(),
      /** The subject as a person reads it: "#1042", an email, "@bot_name", a plan or referral code. */
      subjectLabel: z.string().nullable(),
      subjectEmail: z.string().nullable(),
      details: z.record(z.string(), z.unknown()).nullable(),
      createdAt: isoDateTime,
    }),
  ),
  total: count,
});

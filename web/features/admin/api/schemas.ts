// The admin API's response shapes, as the screens rely on them.
import { z } from 'zod';
import { postSchema } from '../../dashboard/api/get-bot';

const date = z.string();
const nullableDate = z.string().nullable();

export const overviewSchema = z.object({
  revenueByDay: z.array(z.object({ date: z.string(), usd: z.number() })),
  revenueByPlan: z.array(z.object({ plan: z.string(), usd: z.number(), orders: z.number() })),
  revenue30dUsd: z.number(),
  activeBots: z.number(),
  botsByStatus: z.record(z.string(), z.number()),
  stock: z.record(z.string(), z.number()),
  postsByDay: z.array(z.object({ date: z.string(), sent: z.number(), failed: z.number() })),
  ordersNeedingAttention: z.number(),
  paymentProvider: z.object({ name: z.string(), testMode: z.boolean(), reachable: z.boolean(), checkedAt: z.string() }),
});
export type Overview = z.infer<typeof overviewSchema>;

export const orderRowSchema = z.object({
  id: z.string(),
  orderNumber: z.number(),
  email: z.string().nullable(),
  planName: z.string(),
  priceUsd: z.number(),
  kind: z.string(),
  status: z.string(),
  backordered: z.boolean(),
  attention: z.string().nullable(),
  paymentStatus: z.string().nullable(),
  payCurrency: z.string(),
  payAmount: z.string().nullable(),
  actuallyPaid: z.string().nullable(),
  resellerCode: z.string().nullable().optional(),
  createdAt: date,
  paidAt: nullableDate,
  fulfilledAt: nullableDate,
});
export type OrderRow = z.infer<typeof orderRowSchema>;
export const ordersSchema = z.object({ orders: z.array(orderRowSchema), total: z.number() });

export const orderDetailSchema = z.object({
  order: orderRowSchema.extend({
    userId: z.string(),
    planSlug: z.string(),
    senders: z.number(),
    postingIntervalSeconds: z.number(),
    validityDays: z.number(),
    licenseKeyHint: z.string().nullable(),
    reservationExpiresAt: nullableDate,
    resellerCode: z.string().nullable().optional(),
  }),
  payment: z
    .object({
      provider: z.string(),
      providerPaymentId: z.string().nullable(),
      status: z.string(),
      payAddress: z.string().nullable(),
      payAmount: z.string().nullable(),
      payCurrency: z.string(),
      actuallyPaid: z.string().nullable(),
      surplusAmount: z.string().nullable(),
      expiresAt: nullableDate,
      lastCheckedAt: nullableDate,
    })
    .nullable(),
  events: z.array(
    z.object({
      id: z.string(),
      source: z.string(),
      status: z.string().nullable(),
      signatureValid: z.boolean(),
      verdict: z.string(),
      receivedAt: date,
      actuallyPaid: z.string().nullable(),
      payAmount: z.string().nullable(),
      payCurrency: z.string().nullable(),
      raw: z.string(),
    }),
  ),
  emails: z.array(z.object({ id: z.string(), to: z.string(), subject: z.string(), status: z.string(), createdAt: date, sentAt: nullableDate })),
});
export type OrderDetail = z.infer<typeof orderDetailSchema>;

export const replayResultSchema = z.object({
  verdict: z.string(),
  status: z.string().nullable(),
  orderStatus: z.string().nullable(),
  reason: z.string().nullable(),
});
export type ReplayResult = z.infer<typeof replayResultSchema>;

export const planSchema = z.object({
  id: z.string(),
  slug: z.string(),
  name: z.string(),
  planType: z.enum(['starter', 'enterprise']),
  priceUsd: z.number(),
  senders: z.number(),
  postingIntervalSeconds: z.number(),
  validityDays: z.number(),
  active: z.boolean(),
});
export type Plan = z.infer<typeof planSchema>;
export const plansSchema = z.object({ products: z.array(planSchema) });

export const customerSchema = z.object({
  id: z.string(),
  email: z.string().nullable(),
  banned: z.boolean(),
  hasAccessCode: z.boolean(),
  createdAt: date,
  orders: z.number(),
  spentUsd: z.number(),
  adbot: z
    .object({
      id: z.string(),
      status: z.enum(['running', 'stopped', 'expired', 'suspended']),
      plan: z.string(),
      expiresAt: date,
      senders: z.number(),
      postingIntervalSeconds: z.number(),
      sendersReleased: z.boolean(),
    })
    .nullable(),
});
export type Customer = z.infer<typeof customerSchema>;
export const customersSchema = z.object({ customers: z.array(customerSchema), total: z.number() });

export const senderStates = ['unused', 'reserved', 'assigned', 'frozen', 'banned'] as const;
export const sendersSchema = z.object({
  senders: z.array(
    z.object({
      id: z.string(),
      telegramBotId: z.string(),
      username: z.string(),
      state: z.enum(senderStates),
      isSandbox: z.boolean(),
      orderId: z.string().nullable(),
      adbotId: z.string().nullable(),
      customerId: z.string().nullable().optional(),
      customerEmail: z.string().nullable().optional(),
      orderNumber: z.number().nullable().optional(),
      frozenUntil: nullableDate,
      lastError: z.string().nullable(),
      createdAt: date,
    }),
  ),
  total: z.number(),
  counts: z.record(z.string(), z.number()),
});
export const addSendersResultSchema = z.object({
  added: z.number(),
  senders: z.array(z.object({ username: z.string() }).loose()),
  rejected: z.array(z.object({ token: z.string(), reason: z.string() })),
  /** One per token sent, in the order sent (masked tokens only). */
  outcomes: z.array(z.object({ token: z.string(), added: z.boolean(), username: z.string().optional(), reason: z.string().optional() })),
});
export type AddSendersResult = z.infer<typeof addSendersResultSchema>;

export const resellerSchema = z.object({
  id: z.string(),
  email: z.string().nullable(),
  referralCode: z.string(),
  commissionPercent: z.number(),
  active: z.boolean(),
  customers: z.number(),
  earnedUsd: z.number(),
  paidUsd: z.number(),
  dueUsd: z.number(),
  createdAt: date,
});
export type Reseller = z.infer<typeof resellerSchema>;
export const resellersSchema = z.object({ resellers: z.array(resellerSchema), total: z.number() });

export const emailsSchema = z.object({
  emails: z.array(
    z.object({
      id: z.string(),
      to: z.string(),
      subject: z.string(),
      body: z.string(),
      status: z.string(),
      error: z.string().nullable(),
      createdAt: date,
      sentAt: nullableDate,
    }),
  ),
  total: z.number(),
});

export const activitySchema = z.object({
  entries: z.array(
    z.object({
      id: z.string(),
      actorEmail: z.string().nullable(),
      actorRole: z.string(),
      action: z.string(),
      subjectType: z.string().nullable(),
      subjectId: z.string().nullable(),
      subjectLabel: z.string().nullable().optional(),
      subjectEmail: z.string().nullable().optional(),
      details: z.record(z.string(), z.unknown()).nullable(),
      createdAt: date,
    }),
  ),
  total: z.number(),
});

export const customerAdbotSchema = z.object({
  adbot: z.object({
    id: z.string(),
    status: z.string(),
    planName: z.string(),
    post: postSchema.nullable().catch(null),
    senders: z.array(z.object({ id: z.string(), username: z.string(), state: z.string() })),
    chats: z.array(
      z.object({
        ref: z.string(),
        title: z.string().nullable(),
        status: z.string(),
        senderUsername: z.string().nullable(),
        lastPostAt: date.nullable(),
        lastError: z.string().nullable(),
      }),
    ),
  }),
  recentPosts: z.array(
    z.object({
      id: z.string(),
      status: z.string(),
      chatRef: z.string(),
      chatTitle: z.string().nullable(),
      senderUsername: z.string().nullable(),
      messageUrl: z.string().nullable(),
      error: z.string().nullable(),
      createdAt: date,
    }),
  ),
});

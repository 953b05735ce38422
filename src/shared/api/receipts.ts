// A customer's own orders and the receipt of each paid one: GET /api/user/orders and
// GET /api/user/orders/:orderNumber/receipt. Isomorphic (zod only): the web reads the same schemas.
import { z } from 'zod';
import { orderStatuses } from './admin.js';
import { isoDateTime } from './common.js';

/** Who sold it, as the receipt names it. */
export const SELLER_NAME = 'HQAdz';

/** Orders whose money arrived: they have a receipt (a refunded one keeps it, marked refunded). */
export const receiptStatuses = ['paid', 'fulfilled', 'refunded'] as const;
export const hasReceipt = (status: string): boolean => (receiptStatuses as readonly string[]).includes(status);

const coinAmount = z.string().describe('A decimal string in the coin, exactly as the provider reported it');

/** What the order's payments add up to in its coin: the invoice and every re-deposit to it. */
export const orderAmountsSchema = z.object({
  payCurrency: z.string(),
  /** What the invoice asked for; null before the provider made one. */
  due: coinAmount.nullable(),
  /** Settled on the chain across the invoice and its re-deposits. */
  received: coinAmount,
  /** Above what was due; null when none. */
  surplus: coinAmount.nullable(),
});

export const customerOrderSchema = z
  .object({
    orderNumber: z.number().int(),
    planName: z.string(),
    planSlug: z.string(),
    /** What the order does to the account's plan, as decided at checkout. */
    kind: z.enum(['new', 'renewal', 'upgrade']),
    priceUsd: z.number(),
    status: z.enum(orderStatuses),
    amounts: orderAmountsSchema,
    /** Set when the order was added to the running plan as days instead of changing it. */
    creditedDays: z.number().int().nullable(),
    hasReceipt: z.boolean(),
    createdAt: isoDateTime,
    paidAt: isoDateTime.nullable(),
    fulfilledAt: isoDateTime.nullable(),
  })
  .meta({ id: 'CustomerOrder' });
export type CustomerOrder = z.infer<typeof customerOrderSchema>;

export const customerOrdersSchema = z.object({ orders: z.array(customerOrderSchema), total: z.number().int() });
export type CustomerOrdersPage = z.infer<typeof customerOrdersSchema>;

export const receiptPaymentSchema = z.object({
  /** NOWPayments' payment_id (the sandbox's in test mode). */
  providerPaymentId: z.string().nullable(),
  /** `invoice`: the one made at checkout; `top_up`: a re-deposit to the same address. */
  role: z.enum(['invoice', 'top_up']),
  status: z.string(),
  received: coinAmount.nullable(),
  payCurrency: z.string(),
  network: z.string().nullable(),
  createdAt: isoDateTime,
});

export const receiptSchema = z
  .object({
    seller: z.object({ name: z.string(), website: z.string() }),
    orderNumber: z.number().int(),
    status: z.enum(receiptStatuses),
    customerEmail: z.string().nullable(),
    createdAt: isoDateTime,
    paidAt: isoDateTime.nullable(),
    fulfilledAt: isoDateTime.nullable(),
    plan: z.object({
      name: z.string(),
      slug: z.string(),
      senders: z.number().int(),
      postingIntervalSeconds: z.number().int(),
      validityDays: z.number().int(),
    }),
    priceUsd: z.number(),
    amounts: orderAmountsSchema,
    payments: z.array(receiptPaymentSchema),
    /** What the money bought: a new plan, days more of the same one, another plan, or days credited to the running one. */
    bought: z.object({
      kind: z.enum(['new', 'renewal', 'upgrade']),
      creditedDays: z.number().int().nullable(),
      /** Days of service the order adds: the plan's validity, or the credited days. */
      days: z.number().int(),
    }),
  })
  .meta({ id: 'Receipt' });
export type Receipt = z.infer<typeof receiptSchema>;

/** What the money bought, in a customer's words: the email and the receipt page say the same. */
export function describeBought(bought: Receipt['bought'], planName: string): string {
  const { kind, creditedDays, days } = bought;
  if (creditedDays !== null) return `${creditedDays} day${creditedDays === 1 ? '' : 's'} added to your running plan (paid as ${planName})`;
  if (kind === 'renewal') return `${days} more days of ${planName}`;
  if (kind === 'upgrade') return `a change of plan to ${planName}, ${days} days`;
  return `a new ${planName} plan, ${days} days`;
}

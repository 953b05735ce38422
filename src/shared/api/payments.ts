// The payment routes: coins on offer, the status the checkout page polls, the IPN webhook and
// test mode's simulator (SPEC §6).
import { z } from 'zod';
import { idSchema, isoDateTime } from './common.js';

export const currencyListSchema = z.object({ currencies: z.array(z.string()) });

/** What a buyer is told about a payment: the provider's statuses folded into seven. */
export const publicPaymentStatusSchema = z.enum(['waiting', 'confirming', 'paid', 'partially_paid', 'expired', 'failed', 'refunded']);
export type PublicPaymentStatus = z.infer<typeof publicPaymentStatusSchema>;

export const orderStatusSchema = z.enum(['pending', 'partially_paid', 'paid', 'fulfilled', 'expired', 'failed', 'refunded', 'cancelled']);
export type OrderStatus = z.infer<typeof orderStatusSchema>;

export const paymentStatusQuerySchema = z.object({ paymentId: z.string({ error: 'paymentId is required' }).trim().min(1, 'paymentId is required').max(100) });

/** Anyone who knows a provider payment id sees this much: no order, plan, price or address. */
export const publicPaymentStatusViewSchema = z.object({
  paymentId: z.string(),
  status: publicPaymentStatusSchema,
  orderStatus: orderStatusSchema,
});
export type PublicPaymentStatusView = z.infer<typeof publicPaymentStatusViewSchema>;

/** A provider status as NOWPayments reports it: the pay step shows confirming → confirmed per transfer. */
export const providerPaymentStatusSchema = z.enum([
  'waiting',
  'confirming',
  'confirmed',
  'sending',
  'partially_paid',
  'finished',
  'failed',
  'refunded',
  'expired',
]);

export const depositSchema = z.object({
  paymentId: z.string(),
  /** A re-deposit to the same address: NOWPayments' child payment of the invoice. */
  topUp: z.boolean(),
  status: providerPaymentStatusSchema,
  amount: z.string().nullable(),
});
export type Deposit = z.infer<typeof depositSchema>;

/** With the checkout secret (header `X-Checkout-Secret`) or the owner's session: the order too. */
export const paymentStatusDetailsSchema = publicPaymentStatusViewSchema.extend({
  orderId: idSchema,
  orderNumber: z.number().int(),
  planSlug: z.string(),
  planName: z.string(),
  priceUsd: z.number(),
  payAddress: z.string().nullable(),
  payAmount: z.string().nullable(),
  payCurrency: z.string(),
  /** The coin's network as the provider names it (`trx`, `eth`, `bsc`…), when it said. */
  network: z.string().nullable(),
  /** The memo / destination tag a coin like XRP needs with the address; without it the money is lost. */
  payinExtraId: z.string().nullable(),
  /** What the invoice payment itself received (re-deposits are in `received`). */
  actuallyPaid: z.string().nullable(),
  /** Settled across the invoice and its re-deposits, in the invoice's coin. */
  received: z.string(),
  /** Seen on the chain, not yet confirmed (null when nothing is). */
  confirming: z.string().nullable(),
  /** What is still due after a partial payment, across every deposit, as a decimal string. */
  missingAmount: z.string().nullable(),
  /** Received beyond what was due (the order is fulfilled; the surplus is refundable on request). */
  surplus: z.string().nullable(),
  /** Each transfer counted for the order, the invoice's first, then re-deposits (top-ups). */
  deposits: z.array(depositSchema),
  /**
   * The provider statuses the invoice reached (waiting → confirming → confirmed → sending →
   * finished), each with when we first heard of it, oldest first. NOWPayments gives no
   * confirmation count, so none is shown.
   */
  stages: z.array(z.object({ status: providerPaymentStatusSchema, at: isoDateTime })),
  expiresAt: isoDateTime.nullable(),
  /** Paid, waiting for stock: fulfilled as soon as senders are added. */
  backordered: z.boolean(),
});
export type PaymentStatusDetails = z.infer<typeof paymentStatusDetailsSchema>;

export const paymentStatusResponseSchema = z.union([paymentStatusDetailsSchema, publicPaymentStatusViewSchema]).meta({ id: 'PaymentStatus' });
export type PaymentStatusResponse = z.infer<typeof paymentStatusResponseSchema>;

/**
 * The IPN as NOWPayments sends it, for the documentation only: the route verifies the
 * signature on the raw bytes before anything reads a field (STYLE 13), so this is never
 * used to validate a delivery.
 */
export const ipnBodySchema = z
  .object({
    payment_id: z.union([z.number(), z.string()]),
    payment_status: z.string(),
    pay_address: z.string().optional(),
    price_amount: z.number().optional(),
    price_currency: z.string().optional(),
    pay_amount: z.number().optional(),
    actually_paid: z.number().optional(),
    pay_currency: z.string().optional(),
    order_id: z.string().optional(),
    parent_payment_id: z.union([z.number(), z.string()]).nullish(),
  })
  .loose()
  .meta({ description: 'Signed with HMAC-SHA512 of the sorted JSON in `x-nowpayments-sig`; checked before the body is parsed.' });

export const ipnResultSchema = z.object({
  ok: z.literal(true),
  verdict: z.string(),
  status: z.string().optional(),
  orderStatus: z.string().optional(),
});

export const simulatableStatusSchema = z.enum(['confirming', 'finished', 'partially_paid', 'expired', 'failed']);
export type SimulatableStatus = z.infer<typeof simulatableStatusSchema>;

const idText = z.union([z.string(), z.number()]).transform(String);

export const simulatePaymentBodySchema = z.object({
  paymentId: idText.pipe(z.string().trim().min(1).max(100)),
  status: simulatableStatusSchema,
  actuallyPaid: idText.pipe(z.string().regex(/^\d+(\.\d+)?$/, 'must be a positive decimal amount')).optional(),
  /** The status is for a re-deposit to the same address (a new child payment, as NOWPayments makes), not the invoice. */
  topUp: z.boolean().optional(),
});
export type SimulatePaymentBody = z.input<typeof simulatePaymentBodySchema>;

export const simulatePaymentResultSchema = z.object({
  httpStatus: z.number().int(),
  verdict: z.string().nullable(),
  status: z.string().nullable(),
  orderStatus: z.string().nullable(),
  /** The provider payment id the IPN was about: the invoice's, or the re-deposit's. */
  paymentId: z.string(),
});

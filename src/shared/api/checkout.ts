// POST /api/payment/create and POST /api/auth/checkout: buying a plan, and the paying
// browser's one-time sign-in (SPEC §6).
import { z } from 'zod';
import { emailInput, idSchema, isoDateTime, roleSchema } from './common.js';
import { publicPaymentStatusSchema } from './payments.js';

/** Unknown fields (a client's `amount` or `price`) are dropped: the price comes from the plans table. */
export const createCheckoutBodySchema = z
  .object({
    email: emailInput,
    productId: z.uuid({ error: 'must be a plan id' }).optional(),
    slug: z.string().trim().min(1).max(64).optional(),
    currency: z.string().trim().min(1, 'choose a coin').max(32),
    ref: z.string().trim().max(64).nullish(),
  })
  .refine((b) => b.productId || b.slug, { message: 'productId or slug is required', path: ['productId'] });
export type CreateCheckoutBody = z.input<typeof createCheckoutBodySchema>;

export const createdPaymentSchema = z
  .object({
    orderId: idSchema,
    orderNumber: z.number().int(),
    paymentId: z.string(),
    payAddress: z.string(),
    /** A decimal string: coin amounts are never floats. */
    payAmount: z.string(),
    payCurrency: z.string(),
    priceUsd: z.number(),
    expiresAt: isoDateTime,
    status: publicPaymentStatusSchema,
    /** The one-time secret for this browser; null when an already pending payment is handed back (the first answer had it). */
    checkoutSecret: z.string().nullable(),
  })
  .meta({ id: 'CreatedPayment' });
export type CreatedPayment = z.infer<typeof createdPaymentSchema>;

export const redeemCheckoutBodySchema = z.object({ checkoutSecret: z.string().trim().min(1, 'checkoutSecret is required').max(256) });

export const checkoutLoginSchema = z.object({
  token: z.string(),
  role: roleSchema,
  /** The new account's access code, shown once; null when it could not be read (it is in the email). */
  accessCode: z.string().nullable(),
});
export type CheckoutLogin = z.infer<typeof checkoutLoginSchema>;

/** POST /api/payment/cancel: the paying browser (header `X-Checkout-Secret`) gives up a waiting invoice. */
export const cancelCheckoutBodySchema = z.object({ paymentId: z.string().trim().min(1, 'paymentId is required').max(100) });

export const cancelledCheckoutSchema = z
  .object({ orderId: idSchema, orderNumber: z.number().int(), orderStatus: z.literal('cancelled') })
  .meta({ id: 'CancelledCheckout' });
export type CancelledCheckout = z.infer<typeof cancelledCheckoutSchema>;

/** POST /api/payment/change-coin: the same plan and email in another coin, as a new order. */
export const changeCoinBodySchema = z.object({
  paymentId: z.string().trim().min(1, 'paymentId is required').max(100),
  currency: z.string().trim().min(1, 'choose a coin').max(32),
  ref: z.string().trim().max(64).nullish(),
});
export type ChangeCoinBody = z.input<typeof changeCoinBodySchema>;

export const changedPaymentSchema = createdPaymentSchema
  .extend({
    /** The cancelled order this one replaces ("replaces order #N"). */
    replacesOrderNumber: z.number().int(),
  })
  .meta({ id: 'ChangedPayment' });
export type ChangedPayment = z.infer<typeof changedPaymentSchema>;

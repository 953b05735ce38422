// Resellers: the admin's view of them and a reseller's own pages. Isomorphic (zod only).
import { z } from 'zod';
import { orderStatuses } from './admin.js';
import { isoDateTime } from './common.js';

const count = z.number().int();

export const resellerSchema = z
  .object({
    id: z.guid(),
    email: z.string().nullable(),
    referralCode: z.string(),
    commissionPercent: z.number(),
    active: z.boolean(),
    customers: count,
    earnedUsd: z.number(),
    paidUsd: z.number(),
    dueUsd: z.number(),
    createdAt: isoDateTime,
  })
  .meta({ id: 'AdminReseller' });
export type Reseller = z.infer<typeof resellerSchema>;
export const resellersSchema = z.object({ resellers: z.array(resellerSchema), total: count });
export const resellerResultSchema = z.object({ reseller: resellerSchema });
export const createResellerResultSchema = resellerResultSchema.extend({ accessCode: z.string().describe('Shown once: the reseller logs in with it') });
export const payoutResultSchema = z.object({
  payout: z.object({ id: z.guid(), amountUsd: z.number(), note: z.string().nullable(), createdAt: isoDateTime }),
  dueUsd: z.number(),
});

/** GET /api/referrals/:code: checkout's "Referred by …". */
export const referralSchema = z.object({ code: z.string() });

// A reseller's own pages
export const resellerMeSchema = z.object({
  email: z.string().nullable(),
  referralCode: z.string(),
  referralLink: z.string(),
  commissionPercent: z.number(),
  active: z.boolean(),
  earnedUsd: z.number(),
  paidUsd: z.number(),
  dueUsd: z.number(),
  customers: count,
  orders: count,
});
export type ResellerMe = z.infer<typeof resellerMeSchema>;

export const resellerCustomersSchema = z.object({
  customers: z.array(
    z.object({
      /** Masked. */
      email: z.string().nullable(),
      orders: count,
      spentUsd: z.number(),
      firstOrderAt: isoDateTime.nullable(),
      planStatus: z.enum(['active', 'inactive', 'expired']),
      planName: z.string().nullable(),
    }),
  ),
  total: count,
});
export type ResellerCustomersPage = z.infer<typeof resellerCustomersSchema>;
export type ResellerCustomer = ResellerCustomersPage['customers'][number];

export const resellerOrdersSchema = z.object({
  orders: z.array(
    z.object({
      orderNumber: count,
      customerEmail: z.string().nullable(),
      planName: z.string(),
      priceUsd: z.number(),
      /** Booked at fulfilment; null before; 0 once the order is refunded. */
      commissionUsd: z.number().nullable(),
      status: z.enum(orderStatuses),
      createdAt: isoDateTime,
    }),
  ),
  total: count,
});
export type ResellerOrdersPage = z.infer<typeof resellerOrdersSchema>;
export type ResellerOrder = ResellerOrdersPage['orders'][number];

export const resellerPayoutsSchema = z.object({
  payouts: z.array(z.object({ amountUsd: z.number(), note: z.string().nullable(), createdAt: isoDateTime })),
});
export type ResellerPayout = z.infer<typeof resellerPayoutsSchema>['payouts'][number];

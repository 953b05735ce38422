// GET /api/products: the plans on sale, with availability from unreserved stock (SPEC §6).
import { z } from 'zod';
import { idSchema } from './common.js';

export const planTypeSchema = z.enum(['starter', 'enterprise']);

export const productSchema = z
  .object({
    id: idSchema,
    slug: z.string(),
    name: z.string(),
    planType: planTypeSchema,
    priceUsd: z.number(),
    priceCents: z.number().int(),
    senders: z.number().int(),
    postingIntervalSeconds: z.number().int(),
    validityDays: z.number().int(),
    /** Enough unreserved senders to fulfil it right now. */
    available: z.boolean(),
  })
  .meta({ id: 'Product' });
export type Product = z.infer<typeof productSchema>;

export const productListSchema = z.object({ products: z.array(productSchema) });
export type ProductList = z.infer<typeof productListSchema>;

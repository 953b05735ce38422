// POST /api/admin/orders/:id/fulfil: the admin's "re-run fulfilment", the same idempotent path the job runs.
import { z } from 'zod';
import { idSchema } from './common.js';

export const orderIdParamsSchema = z.object({ id: z.uuid('must be an order id') });

export const fulfilResultSchema = z.object({
  orderId: idSchema,
  result: z.enum(['fulfilled', 'already_fulfilled', 'backordered', 'not_payable']),
});
export type FulfilResult = z.infer<typeof fulfilResultSchema>;

// Owner: the resellers module: the commission booked on each referred order (apart from resellers.ts because it references orders).
import { integer, pgTable, uuid } from 'drizzle-orm/pg-core';
import { orders } from './checkout.js';
import { createdAt, id } from './columns.js';
import { resellers } from './resellers.js';

export const commissions = pgTable('commissions', {
  id: id(),
  resellerId: uuid('reseller_id')
    .notNull()
    .references(() => resellers.id),
  orderId: uuid('order_id')
    .notNull()
    .unique()
    .references(() => orders.id),
  amountCents: integer('amount_cents').notNull(),
  createdAt: createdAt(),
});

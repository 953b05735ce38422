// Owner: the catalog module: the plans on sale.
import { boolean, integer, pgTable, text } from 'drizzle-orm/pg-core';
import { createdAt, id, updatedAt } from './columns.js';

export const plans = pgTable('plans', {
  id: id(),
  slug: text('slug').notNull().unique(),
  name: text('name').notNull(),
  planType: text('plan_type', { enum: ['starter', 'enterprise'] }).notNull(),
  priceCents: integer('price_cents').notNull(),
  senders: integer('senders').notNull(),
  postingIntervalSeconds: integer('posting_interval_seconds').notNull(),
  validityDays: integer('validity_days').notNull(),
  active: boolean('active').notNull().default(true),
  sortOrder: integer('sort_order').notNull().default(0),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

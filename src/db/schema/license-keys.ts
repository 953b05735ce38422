// Owner: the accounts module: the license key issued with an enterprise order (apart from accounts.ts because it references orders).
import { pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { users } from './accounts.js';
import { orders } from './checkout.js';
import { createdAt, id } from './columns.js';

export const licenseKeys = pgTable('license_keys', {
  id: id(),
  orderId: uuid('order_id')
    .notNull()
    .unique()
    .references(() => orders.id),
  userId: uuid('user_id')
    .notNull()
    .references(() => users.id),
  keyHash: text('key_hash').notNull().unique(),
  keyHint: text('key_hint').notNull(),
  createdAt: createdAt(),
});

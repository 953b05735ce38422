// Owner: the resellers module: resellers and what they have been paid (commissions: commissions.ts).
import { boolean, integer, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { users } from './accounts.js';
import { createdAt, id } from './columns.js';

export const resellers = pgTable('resellers', {
  id: id(),
  userId: uuid('user_id')
    .notNull()
    .unique()
    .references(() => users.id),
  referralCode: text('referral_code').notNull().unique(),
  commissionBps: integer('commission_bps').notNull(),
  active: boolean('active').notNull().default(true),
  createdAt: createdAt(),
});

export const payouts = pgTable('payouts', {
  id: id(),
  resellerId: uuid('reseller_id')
    .notNull()
    .references(() => resellers.id),
  amountCents: integer('amount_cents').notNull(),
  note: text('note'),
  createdAt: createdAt(),
});

// Owner: the accounts module: who can sign in, and how a lost code is recovered.
import { boolean, index, integer, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, ts, updatedAt } from './columns.js';

export const users = pgTable('users', {
  id: id(),
  email: text('email').unique(),
  role: text('role', { enum: ['customer', 'reseller', 'admin'] })
    .notNull()
    .default('customer'),
  accessCodeHash: text('access_code_hash').unique(),
  accessCodeIssuedAt: ts('access_code_issued_at'),
  referredBy: uuid('referred_by'),
  banned: boolean('banned').notNull().default(false),
  // Carried in every session token (`sv`); logging out bumps it, so the tokens issued before
  // stop working at once instead of living out their 7 days.
  sessionVersion: integer('session_version').notNull().default(0),
  // Carried in sessions opened with a checkout secret (`cv`): bumped when another order for this
  // email is paid, so whoever paid for someone else's inbox loses the session.
  checkoutSessionVersion: integer('checkout_session_version').notNull().default(0),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

/**
 * One-time account-recovery links ("Lost your code?"): only the token's hash is kept, and a
 * token works once, for 30 minutes.
 */
export const recoveryTokens = pgTable(
  'recovery_tokens',
  {
    id: id(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    tokenHash: text('token_hash').notNull().unique(),
    expiresAt: ts('expires_at').notNull(),
    usedAt: ts('used_at'),
    createdAt: createdAt(),
  },
  (t) => [index('recovery_tokens_user_idx').on(t.userId)],
);

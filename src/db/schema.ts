// One schema for the whole product. Money is integer cents, time is timestamptz (UTC),
// ids are UUIDs, Telegram ids are bigint. Changes go through a new SQL migration
// (`npm run db:generate`), never by editing an applied one.
import { sql } from 'drizzle-orm';
import { bigint, bigserial, boolean, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

const id = () => uuid('id').primaryKey().default(sql`gen_random_uuid()`);
const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const createdAt = () => ts('created_at').notNull().defaultNow();
const updatedAt = () => ts('updated_at').notNull().defaultNow();

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
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

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

export const orders = pgTable(
  'orders',
  {
    id: id(),
    orderNumber: bigserial('order_number', { mode: 'number' }).notNull().unique(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    planId: uuid('plan_id')
      .notNull()
      .references(() => plans.id),
    kind: text('kind', { enum: ['new', 'renewal', 'upgrade'] }).notNull(),
    // Snapshot of the catalog at order time: later plan edits never change what was sold.
    planSlug: text('plan_slug').notNull(),
    planName: text('plan_name').notNull(),
    priceCents: integer('price_cents').notNull(),
    senders: integer('senders').notNull(),
    postingIntervalSeconds: integer('posting_interval_seconds').notNull(),
    validityDays: integer('validity_days').notNull(),
    sendersToReserve: integer('senders_to_reserve').notNull(),
    status: text('status', {
      enum: ['pending', 'partially_paid', 'paid', 'fulfilled', 'expired', 'failed', 'refunded'],
    })
      .notNull()
      .default('pending'),
    backordered: boolean('backordered').notNull().default(false),
    payCurrency: text('pay_currency').notNull(),
    resellerId: uuid('reseller_id').references(() => resellers.id),
    checkoutSecretHash: text('checkout_secret_hash').unique(),
    checkoutSecretExpiresAt: ts('checkout_secret_expires_at'),
    checkoutSecretUsedAt: ts('checkout_secret_used_at'),
    reservationExpiresAt: ts('reservation_expires_at'),
    paidAt: ts('paid_at'),
    fulfilledAt: ts('fulfilled_at'),
    // Shown once to the paying browser through the checkout secret, then cleared.
    pendingAccessCode: text('pending_access_code'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('orders_user_idx').on(t.userId), index('orders_status_idx').on(t.status)],
);

export const payments = pgTable(
  'payments',
  {
    id: id(),
    orderId: uuid('order_id')
      .notNull()
      .unique()
      .references(() => orders.id),
    provider: text('provider', { enum: ['nowpayments', 'sandbox'] }).notNull(),
    providerPaymentId: text('provider_payment_id').unique(),
    status: text('status', {
      enum: ['creating', 'waiting', 'confirming', 'confirmed', 'sending', 'partially_paid', 'finished', 'failed', 'refunded', 'expired'],
    })
      .notNull()
      .default('creating'),
    payAddress: text('pay_address'),
    payAmount: text('pay_amount'),
    payCurrency: text('pay_currency').notNull(),
    priceCents: integer('price_cents').notNull(),
    actuallyPaid: text('actually_paid'),
    surplusAmount: text('surplus_amount'),
    expiresAt: ts('expires_at'),
    lastCheckedAt: ts('last_checked_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('payments_status_idx').on(t.status)],
);

export const paymentEvents = pgTable(
  'payment_events',
  {
    id: id(),
    source: text('source', { enum: ['ipn', 'poll', 'replay', 'simulate', 'admin'] }).notNull(),
    providerPaymentId: text('provider_payment_id'),
    orderId: uuid('order_id'),
    status: text('status'),
    signatureValid: boolean('signature_valid').notNull(),
    verdict: text('verdict').notNull(),
    rawBody: text('raw_body').notNull(),
    headers: jsonb('headers').$type<Record<string, string>>(),
    receivedAt: createdAt(),
  },
  (t) => [index('payment_events_order_idx').on(t.orderId)],
);

export const adbots = pgTable('adbots', {
  id: id(),
  userId: uuid('user_id')
    .notNull()
    .unique()
    .references(() => users.id),
  planId: uuid('plan_id')
    .notNull()
    .references(() => plans.id),
  status: text('status', { enum: ['running', 'stopped', 'expired', 'suspended'] })
    .notNull()
    .default('stopped'),
  postingIntervalSeconds: integer('posting_interval_seconds').notNull(),
  senderCount: integer('sender_count').notNull(),
  expiresAt: ts('expires_at').notNull(),
  post: jsonb('post').$type<Record<string, unknown>>(),
  remindedFor: jsonb('reminded_for').$type<Record<string, string>>().notNull().default({}),
  sendersReleasedAt: ts('senders_released_at'),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const senders = pgTable(
  'senders',
  {
    id: id(),
    telegramBotId: bigint('telegram_bot_id', { mode: 'bigint' }).notNull().unique(),
    username: text('username').notNull(),
    tokenEncrypted: text('token_encrypted').notNull(),
    isSandbox: boolean('is_sandbox').notNull().default(false),
    state: text('state', { enum: ['unused', 'reserved', 'assigned', 'frozen', 'banned'] })
      .notNull()
      .default('unused'),
    orderId: uuid('order_id').references(() => orders.id),
    adbotId: uuid('adbot_id').references(() => adbots.id),
    frozenUntil: ts('frozen_until'),
    lastError: text('last_error'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('senders_state_idx').on(t.state), index('senders_order_idx').on(t.orderId), index('senders_adbot_idx').on(t.adbotId)],
);

export const targetChats = pgTable(
  'target_chats',
  {
    id: id(),
    adbotId: uuid('adbot_id')
      .notNull()
      .references(() => adbots.id),
    ref: text('ref').notNull(),
    chatId: bigint('chat_id', { mode: 'bigint' }),
    username: text('username'),
    title: text('title'),
    chatType: text('chat_type'),
    senderId: uuid('sender_id').references(() => senders.id),
    status: text('status', { enum: ['pending', 'ok', 'no_access', 'not_found', 'error'] })
      .notNull()
      .default('pending'),
    lastError: text('last_error'),
    lastPostAt: ts('last_post_at'),
    nextPostAt: ts('next_post_at'),
    lastCheckedAt: ts('last_checked_at'),
    position: integer('position').notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('target_chats_adbot_ref_uq').on(t.adbotId, t.ref)],
);

export const posts = pgTable(
  'posts',
  {
    id: id(),
    adbotId: uuid('adbot_id')
      .notNull()
      .references(() => adbots.id),
    targetChatId: uuid('target_chat_id')
      .notNull()
      .references(() => targetChats.id),
    senderId: uuid('sender_id').references(() => senders.id),
    // floor(epoch seconds / interval): the unique (chat, slot) pair is what stops a double post.
    slot: bigint('slot', { mode: 'number' }).notNull(),
    // 'unconfirmed': left 'sending' by a worker that stopped after the Bot API call (counted as sent, no link).
    status: text('status', { enum: ['sending', 'sent', 'unconfirmed', 'failed'] }).notNull(),
    telegramMessageId: bigint('telegram_message_id', { mode: 'number' }),
    messageUrl: text('message_url'),
    error: text('error'),
    createdAt: createdAt(),
    sentAt: ts('sent_at'),
  },
  (t) => [
    uniqueIndex('posts_chat_slot_uq').on(t.targetChatId, t.slot),
    index('posts_adbot_created_idx').on(t.adbotId, t.createdAt),
    // The engine looks for abandoned 'sending' rows every tick: a handful among millions of posts.
    index('posts_sending_idx').on(t.createdAt).where(sql`${t.status} = 'sending'`),
  ],
);

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

export const notifications = pgTable(
  'notifications',
  {
    id: id(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    kind: text('kind').notNull(),
    title: text('title').notNull(),
    body: text('body').notNull(),
    // One notification per (user, dedupe key): a retried job never notifies twice.
    dedupeKey: text('dedupe_key'),
    readAt: ts('read_at'),
    createdAt: createdAt(),
  },
  (t) => [index('notifications_user_idx').on(t.userId, t.createdAt), uniqueIndex('notifications_dedupe_uq').on(t.userId, t.dedupeKey)],
);

export const emails = pgTable('emails', {
  id: id(),
  toAddress: text('to_address').notNull(),
  subject: text('subject').notNull(),
  /** As people may read it: access codes and other secrets masked (see mask-secret.ts). */
  bodyText: text('body_text').notNull(),
  /** The full message, AES-GCM sealed, only while it waits to be sent; null once it is sent or filed. */
  sealedMessage: text('sealed_message'),
  status: text('status', { enum: ['queued', 'sent', 'outbox', 'failed'] })
    .notNull()
    .default('queued'),
  dedupeKey: text('dedupe_key').unique(),
  error: text('error'),
  createdAt: createdAt(),
  sentAt: ts('sent_at'),
});

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

export const payouts = pgTable('payouts', {
  id: id(),
  resellerId: uuid('reseller_id')
    .notNull()
    .references(() => resellers.id),
  amountCents: integer('amount_cents').notNull(),
  note: text('note'),
  createdAt: createdAt(),
});

export const activityLog = pgTable(
  'activity_log',
  {
    id: id(),
    actorUserId: uuid('actor_user_id'),
    actorRole: text('actor_role').notNull(),
    action: text('action').notNull(),
    subjectType: text('subject_type'),
    subjectId: text('subject_id'),
    details: jsonb('details').$type<Record<string, unknown>>(),
    createdAt: createdAt(),
  },
  (t) => [index('activity_log_created_idx').on(t.createdAt)],
);

export const settings = pgTable('settings', {
  key: text('key').primaryKey(),
  value: jsonb('value').notNull(),
  updatedAt: updatedAt(),
});

/**
 * Request counters shared by every API process (rate limits, failed-login lockouts): one row
 * per key and window, so N processes enforce one limit, not N.
 */
export const rateLimitHits = pgTable(
  'rate_limit_hits',
  {
    key: text('key').primaryKey(),
    hits: integer('hits').notNull(),
    resetAt: timestamp('reset_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('rate_limit_hits_reset_idx').on(t.resetAt)],
);

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

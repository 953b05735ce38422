// One schema for the whole product, one file per owning module in ./schema/ (a table is
// written only by its owner; others read). Money is integer cents, time is timestamptz (UTC),
// ids are UUIDs, Telegram ids are bigint. Changes go through a new SQL migration
// (`npm run db:generate`), never by editing an applied one. drizzle-kit reads this file.
export * from './schema/accounts.js';
export * from './schema/adbots.js';
export * from './schema/catalog.js';
export * from './schema/checkout.js';
export * from './schema/commissions.js';
export * from './schema/engine.js';
export * from './schema/license-keys.js';
export * from './schema/notifications.js';
export * from './schema/payments.js';
export * from './schema/platform.js';
export * from './schema/resellers.js';
export * from './schema/stock.js';

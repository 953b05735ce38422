// Prepared (named) statements for the hottest queries that run outside a transaction. Drizzle
// rebuilds a query's SQL text on every call (a fifth of the API's CPU on the payment paths,
// BENCHMARKS.md) and PostgreSQL parses and plans an unnamed statement every time; a query
// prepared once per database with placeholders skips both: node-postgres sends a named
// statement's Parse once per connection, then only Bind/Execute. PGlite ignores the name and
// runs the same SQL, so both engines take this path.
import type { Db } from './client.js';

type Logged = { session?: { logger?: unknown } };
type Entry = { logger: unknown; queries: Map<string, unknown> };
const perDb = new WeakMap<Db, Entry>();

/**
 * The query `build` prepares on `db`, built on first use and kept for the database's life.
 * A prepared query reports to the logger its session had when it was made, so a new logger
 * (the round-trip tests swap it in) starts a new set.
 */
export function preparedOn<T>(db: Db, name: string, build: (db: Db) => T): T {
  const logger = (db as unknown as Logged).session?.logger;
  let entry = perDb.get(db);
  if (!entry || entry.logger !== logger) {
    entry = { logger, queries: new Map() };
    perDb.set(db, entry);
  }
  let query = entry.queries.get(name) as T | undefined;
  if (query === undefined) {
    query = build(db);
    entry.queries.set(name, query);
  }
  return query;
}

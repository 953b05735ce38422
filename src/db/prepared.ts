// Prepared (named) statements for the hot paths. Drizzle rebuilds a query's SQL text on every
// call (a fifth of the API's CPU on the payment paths, BENCHMARKS.md) and PostgreSQL parses and
// plans an unnamed statement every time; a query prepared once with placeholders skips both:
// node-postgres sends a named statement's Parse once per connection, then only Bind/Execute.
// PGlite ignores the name and runs the same SQL, so both engines take this path.
//
// Drizzle binds a prepared query to the connection it was made on, and a transaction has its
// own; `preparedFor` keeps one query per database and hands back a view of it bound to the
// connection of the database or transaction it is asked for (the `client` of Drizzle's session
// and of its prepared query, the same field on node-postgres and PGlite: drizzle-orm is pinned,
// and the round-trip and payment tests run every such statement on both engines).
import type { SQL } from 'drizzle-orm';
import type { DbOrTx } from './client.js';

type Session = { client: unknown; options: { logger?: unknown } };
type Entry = { logger: unknown; queries: Map<string, object> };
/** Keyed by the session options a database shares with every transaction it opens. */
const perDatabase = new WeakMap<object, Entry>();

/**
 * The query `build` prepares, made on first use for this database (and its transactions) and
 * kept, bound to `db`'s connection. A prepared query reports to the logger the database had
 * when it was made, so a new logger (the round-trip tests swap it in) starts a new set.
 */
export function preparedFor<Q extends object>(db: DbOrTx, name: string, build: (db: DbOrTx) => Q): Q {
  const { session } = db as unknown as { session: Session };
  const logger = session.options.logger;
  let entry = perDatabase.get(session.options);
  if (!entry || entry.logger !== logger) {
    entry = { logger, queries: new Map() };
    perDatabase.set(session.options, entry);
  }
  let query = entry.queries.get(name) as Q | undefined;
  if (query === undefined) {
    query = build(db);
    entry.queries.set(name, query);
  }
  if ((query as { client?: unknown }).client === session.client) return query;
  return Object.create(query, { client: { value: session.client } }) as Q;
}

/** The connection a database or transaction runs its statements on, and the logger it reports them to. */
export function connectionOf(db: DbOrTx): { client: unknown; logger: { logQuery(text: string, params: unknown[]): void } | undefined } {
  const { session } = db as unknown as { session: Session & { logger?: { logQuery(text: string, params: unknown[]): void } } };
  return { client: session.client, logger: session.logger };
}

type Internals = {
  dialect: { sqlToQuery(sql: SQL): { sql: string; params: unknown[] } };
  session: { prepareQuery(query: { sql: string; params: unknown[] }, fields: undefined, name: string, arrayMode: boolean): unknown };
};
type PreparedRaw = { execute(values: Record<string, unknown>): Promise<{ rows: unknown[] }> };

/**
 * A statement Drizzle cannot prepare by itself (data-modifying CTEs over several owners'
 * fragments), built once from `build` with `sql.placeholder`s and prepared like the rest.
 */
export function preparedSql<Row>(db: DbOrTx, name: string, build: (db: DbOrTx) => SQL): { execute(values: Record<string, unknown>): Promise<Row[]> } {
  const query = preparedFor(db, name, (d) => {
    const { dialect, session } = d as unknown as Internals;
    return session.prepareQuery(dialect.sqlToQuery(build(d)), undefined, name, false) as PreparedRaw & object;
  });
  return { execute: async (values) => (await query.execute(values)).rows as Row[] };
}

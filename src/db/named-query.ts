// Named statements for hand-written SQL on the hot paths (the engine's loop, the payment status
// write, pg-boss's job insert inside our transactions): PostgreSQL parses a named statement once
// per connection and, after a few runs, keeps one plan for it; an unnamed one (every Drizzle
// `execute`) is parsed and planned on every call, 1.6 to 3.5 ms for the engine's five-table
// statements (BENCHMARKS.md). PGlite runs the same SQL unnamed.
import { fillPlaceholders, type SQL } from 'drizzle-orm';
import pg from 'pg';
import type { DbOrTx } from './client.js';
import { connectionOf } from './prepared.js';

type PgliteLike = { query(text: string, params: unknown[]): Promise<{ rows: unknown[] }> };

/**
 * Runs `text` ($1-style placeholders) as the named statement `name` on the connection of `db`
 * (a transaction's own, when it is one) and returns its rows. Reported to Drizzle's logger like
 * its own statements, so the round-trip tests count it.
 */
export async function namedQuery<Row>(db: DbOrTx, name: string | null, text: string, values: unknown[]): Promise<Row[]> {
  const { client, logger } = connectionOf(db);
  logger?.logQuery(text, values);
  if (client instanceof pg.Pool || client instanceof pg.Client) {
    const res = await client.query(name ? { name, text, values } : { text, values });
    return res.rows as Row[];
  }
  const res = await (client as PgliteLike).query(text, values);
  return res.rows as Row[];
}

/** A PostgreSQL array literal for a `$n::type[]` parameter (text is quoted and escaped; null is NULL). */
export function pgArray(items: readonly (string | number | null)[]): string {
  return `{${items.map((i) => (i === null ? 'NULL' : `"${String(i).replace(/[\\"]/g, '\\$&')}"`)).join(',')}}`;
}

/** More shapes than any caller builds: beyond this, statements are built each time and run unnamed. */
const MAX_SHAPES = 64;
type Shape = { name: string | null; text: string; params: unknown[] };
const shapes = new Map<string, Shape>();

/**
 * A statement whose shape varies with what the caller writes (`shape` names it: everything that
 * changes its text or a value it holds), built once per shape with `sql.placeholder`s and run as
 * a named statement with `values`: neither Drizzle nor PostgreSQL parses it again. Every value
 * that differs between calls of one shape must be a placeholder.
 */
export async function executeShaped<Row>(db: DbOrTx, shape: string, build: () => SQL | Promise<SQL>, values: Record<string, unknown>): Promise<Row[]> {
  let entry = shapes.get(shape);
  if (!entry) {
    const { dialect } = db as unknown as { dialect: { sqlToQuery(sql: SQL): { sql: string; params: unknown[] } } };
    const { sql: text, params } = dialect.sqlToQuery(await build());
    entry = { name: shapes.size < MAX_SHAPES ? `shaped_${shapes.size + 1}` : null, text, params };
    if (entry.name) shapes.set(shape, entry);
  }
  return namedQuery<Row>(db, entry.name, entry.text, fillPlaceholders(entry.params, values));
}

// Named statements for hand-written SQL on the hot paths (the engine's loop, the payment status
// write, pg-boss's job insert inside our transactions): PostgreSQL parses a named statement once
// per connection and, after a few runs, keeps one plan for it; an unnamed one (every Drizzle
// `execute`) is parsed and planned on every call, 1.6 to 3.5 ms for the engine's five-table
// statements (BENCHMARKS.md). PGlite runs the same SQL unnamed.
import type { SQL } from 'drizzle-orm';
import pg from 'pg';
import type { DbOrTx } from './client.js';
import { connectionOf } from './prepared.js';

type PgliteLike = { query(text: string, params: unknown[]): Promise<{ rows: unknown[] }> };

/**
 * Runs `text` ($1-style placeholders) as the named statement `name` on the connection of `db`
 * (a transaction's own, when it is one) and returns its rows. Reported to Drizzle's logger like
 * its own statements, so the round-trip tests count it.
 */
export async function namedQuery<Row>(db: DbOrTx, name: string, text: string, values: unknown[]): Promise<Row[]> {
  const { client, logger } = connectionOf(db);
  logger?.logQuery(text, values);
  if (client instanceof pg.Pool || client instanceof pg.Client) {
    const res = await client.query({ name, text, values });
    return res.rows as Row[];
  }
  const res = await (client as PgliteLike).query(text, values);
  return res.rows as Row[];
}

/** A PostgreSQL array literal for a `$n::type[]` parameter (text is quoted and escaped; null is NULL). */
export function pgArray(items: readonly (string | number | null)[]): string {
  return `{${items.map((i) => (i === null ? 'NULL' : `"${String(i).replace(/[\\"]/g, '\\$&')}"`)).join(',')}}`;
}

/** More distinct texts than any caller builds shapes of: beyond this, statements run unnamed. */
const MAX_SHAPES = 64;
const shapeNames = new Map<string, string>();

/**
 * A Drizzle statement whose shape varies with what the caller writes, run as a named statement:
 * its text is the same for every call of one shape, so PostgreSQL parses and plans each shape
 * once per connection, and only the values change.
 */
export async function executeShaped<Row>(db: DbOrTx, statement: SQL): Promise<Row[]> {
  const { dialect } = db as unknown as { dialect: { sqlToQuery(sql: SQL): { sql: string; params: unknown[] } } };
  const { sql: text, params } = dialect.sqlToQuery(statement);
  let name = shapeNames.get(text);
  if (name === undefined && shapeNames.size < MAX_SHAPES) {
    name = `shaped_${shapeNames.size + 1}`;
    shapeNames.set(text, name);
  }
  if (name) return namedQuery<Row>(db, name, text, params);
  const res = (await db.execute(statement)) as unknown as { rows: Row[] };
  return res.rows;
}

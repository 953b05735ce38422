// Named statements for hand-written SQL on the hot paths (the engine's loop, the payment status
// write, pg-boss's job insert inside our transactions): PostgreSQL parses a named statement once
// per connection and, after a few runs, keeps one plan for it; an unnamed one (every Drizzle
// `execute`) is parsed and planned on every call, 1.6 to 3.5 ms for the engine's five-table
// statements (BENCHMARKS.md). PGlite runs the same SQL unnamed.
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

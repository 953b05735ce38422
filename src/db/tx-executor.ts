// pg-boss's SQL inside our transactions, so a job commits (or not) with the change that causes
// it. pg-boss sends a handful of fixed texts (its job insert above all, on every paid IPN and
// every checkout), so each becomes a named statement on the transaction's connection: parsed
// and planned once per connection instead of rebuilt through Drizzle and planned every time.
import type { DbOrTx, SqlExecutor } from './client.js';
import { positionalSql } from './client.js';
import { namedQuery } from './named-query.js';

/** More distinct texts than pg-boss has: something builds SQL per call, so it runs unnamed. */
const MAX_NAMED = 32;
const names = new Map<string, string>();

function nameFor(text: string): string | null {
  let name = names.get(text);
  if (name === undefined && names.size < MAX_NAMED) {
    name = `pgboss_tx_${names.size + 1}`;
    names.set(text, name);
  }
  return name ?? null;
}

/** A pg-boss executor bound to a transaction. */
export function txExecutor(tx: DbOrTx): SqlExecutor {
  return {
    async executeSql(text, values = []) {
      const name = nameFor(text);
      // pg-boss leaves unset options undefined; node-postgres sends those as NULL, PGlite is told so.
      if (name)
        return {
          rows: await namedQuery<Record<string, unknown>>(
            tx,
            name,
            text,
            values.map((v) => v ?? null),
          ),
        };
      const res = (await tx.execute(positionalSql(text, values))) as unknown as { rows: Record<string, unknown>[] };
      return { rows: res.rows };
    },
  };
}

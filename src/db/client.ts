// One database API over two engines: embedded PGlite (default) or a PostgreSQL server.
// Both run the same committed SQL migrations and the same Drizzle queries.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { ExtractTablesWithRelations } from 'drizzle-orm';
import { type SQL, sql } from 'drizzle-orm';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import { migrationsDir } from '../lib/paths.js';
import * as schema from './schema.js';

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
/** Either the database or an open transaction: use cases accept both. */
export type DbOrTx = Db | Tx;

/** What pg-boss needs to run its SQL through our connection (or inside our transaction). */
export type SqlExecutor = {
  executeSql(text: string, values?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
};

export type Database = {
  kind: 'embedded' | 'postgres';
  db: Db;
  executor: SqlExecutor;
  migrate(): Promise<void>;
  /**
   * Runs start-up work (migrations, seeding, the job queue's own schema) while holding a
   * server-wide lock, so processes started together on one PostgreSQL server take turns.
   */
  withStartupLock<T>(fn: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
};

/** Turns `$1`-style SQL into a Drizzle SQL object so it can run on a transaction. */
export function positionalSql(text: string, values: unknown[] = []): SQL {
  const chunks: SQL[] = [];
  let last = 0;
  for (const m of text.matchAll(/\$(\d+)/g)) {
    chunks.push(sql.raw(text.slice(last, m.index)));
    // Drizzle drops an `undefined` parameter where node-postgres would send NULL.
    chunks.push(sql`${values[Number(m[1]) - 1] ?? null}`);
    last = m.index! + m[0].length;
  }
  chunks.push(sql.raw(text.slice(last)));
  return sql.join(chunks);
}

const STARTUP_LOCK = 4242_0001;

/**
 * Request-sized timeouts, so a database that is down, black-holed or frozen fails a request
 * in seconds (a 503) instead of hanging it. The URL may override them with libpq's
 * `connect_timeout` (seconds) and node-postgres's `statement_timeout` / `query_timeout` (ms).
 */
export const DATABASE_TIMEOUTS = { connectMs: 5_000, statementMs: 15_000, queryMs: 20_000 };

function poolOptions(databaseUrl: string): pg.ClientConfig {
  const url = new URL(databaseUrl);
  const connectSeconds = Number(url.searchParams.get('connect_timeout'));
  return {
    connectionString: databaseUrl,
    connectionTimeoutMillis: connectSeconds > 0 ? connectSeconds * 1000 : DATABASE_TIMEOUTS.connectMs,
    // Server side: a slow query or a long lock wait is cancelled (57014).
    statement_timeout: DATABASE_TIMEOUTS.statementMs,
    // Client side: a frozen connection never answers, so the server cannot time it out.
    query_timeout: DATABASE_TIMEOUTS.queryMs,
    keepAlive: true,
  };
}

export async function openDatabase(opts: {
  databaseUrl?: string;
  /** Connections in the PostgreSQL pool (default 10). */
  poolSize?: number;
  dataDir?: string;
  /** PGlite in memory (tests). */
  inMemory?: boolean;
}): Promise<Database> {
  if (opts.databaseUrl) {
    const options = poolOptions(opts.databaseUrl);
    const pool = new pg.Pool({ ...options, max: opts.poolSize ?? 10 });
    pool.on('error', () => {
      // An idle client dropped by the server; the pool replaces it on next use.
    });
    const db = drizzlePg(pool, { schema }) as unknown as Db;
    let closed = false;
    return {
      kind: 'postgres',
      db,
      executor: {
        async executeSql(text, values) {
          // pg-boss 10 completes or fails a job it stopped waiting for without awaiting the call;
          // once we have closed, that write can only reject with nobody to catch it (and an
          // empty result makes pg-boss itself throw reading `rows[0].count`). So it never
          // settles: the job is left as it is and its expiry hands it to another worker, as
          // after a kill.
          if (closed) return afterClose();
          const res = await pool.query(text, values as unknown[]);
          return { rows: res.rows };
        },
      },
      async migrate() {
        // A migration may rightly run longer than a request may wait (an index on a big
        // table): it gets its own connection without the request timeouts.
        const client = new pg.Client({ ...options, statement_timeout: 0, query_timeout: undefined });
        client.on('error', () => {});
        await client.connect();
        try {
          await migratePg(drizzlePg(client, { schema }) as never, { migrationsFolder: migrationsDir });
        } finally {
          await client.end().catch(() => {});
        }
      },
      async withStartupLock(fn) {
        const client = await pool.connect();
        try {
          // Polled rather than waited for: a blocking pg_advisory_lock would hit statement_timeout
          // while another process runs a long migration.
          while (!(await client.query('select pg_try_advisory_lock($1) as ok', [STARTUP_LOCK])).rows[0].ok) {
            await new Promise((r) => setTimeout(r, 200));
          }
          return await fn();
        } finally {
          await client.query('select pg_advisory_unlock($1)', [STARTUP_LOCK]).catch(() => {});
          client.release();
        }
      },
      close: async () => {
        closed = true;
        await pool.end();
      },
    };
  }

  let dir: string | undefined;
  if (!opts.inMemory) {
    dir = path.join(opts.dataDir ?? './data', 'pglite');
    mkdirSync(dir, { recursive: true });
  }
  const client = new PGlite(dir);
  await client.waitReady;
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  return {
    kind: 'embedded',
    db,
    executor: {
      async executeSql(text, values) {
        // As on PostgreSQL: a straggling pg-boss write after close is dropped, not an unhandled rejection.
        if (client.closed) return afterClose();
        // PGlite's extended protocol takes one statement; pg-boss's schema SQL is several.
        if (!values || values.length === 0) {
          const results = await client.exec(text);
          return { rows: (results.at(-1)?.rows ?? []) as Record<string, unknown>[] };
        }
        const res = await client.query<Record<string, unknown>>(text, values as unknown[]);
        return { rows: res.rows };
      },
    },
    async migrate() {
      await migratePglite(drizzlePglite(client, { schema }), { migrationsFolder: migrationsDir });
    },
    // One process owns an embedded database: nothing to take turns with.
    withStartupLock: (fn) => fn(),
    close: () => client.close(),
  };
}

/**
 * What the executor answers once the database is closed: a promise that never settles, so a
 * straggling fire-and-forget write (pg-boss completing a job after stop) neither rejects with
 * nobody to catch it nor hands pg-boss a result it cannot read.
 */
export function afterClose(): Promise<never> {
  return new Promise<never>(() => {});
}

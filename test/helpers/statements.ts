// Every statement Drizzle sends while `fn` runs, on the database and in its transactions (they
// copy session.options): round-trip tests pin how much work a hot path does. Named statements
// (src/db/named-query.ts, and pg-boss's inside a transaction) report to the same logger.
import type { TestApp } from './test-app.js';

type Logger = { logQuery(query: string): void };
type Session = { logger: Logger; options: { logger?: Logger } };

/** Begin and commit aside, which node-postgres logs and PGlite does not. */
export async function statementsOf(t: TestApp, fn: () => Promise<unknown>): Promise<string[]> {
  const session = (t.ctx.db as unknown as { session: Session }).session;
  const seen: string[] = [];
  const counter: Logger = { logQuery: (q) => (/^(begin|commit|rollback)\b/i.test(q) ? undefined : seen.push(q)) };
  const before = { logger: session.logger, options: session.options.logger };
  session.logger = counter;
  session.options.logger = counter;
  try {
    await fn();
  } finally {
    session.logger = before.logger;
    session.options.logger = before.options;
  }
  return seen;
}

import { and, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { senders } from '../../db/schema.js';

export type CountAvailableSendersOptions = { db: DbOrTx };

/** Senders in stock that nobody holds: what a new purchase can reserve. */
export async function countAvailableSenders({ db }: CountAvailableSendersOptions): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(senders)
    .where(and(eq(senders.state, 'unused')));
  return row?.n ?? 0;
}

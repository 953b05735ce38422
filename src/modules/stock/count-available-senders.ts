import { and, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { senders } from '../../db/schema.js';
import { countOwedToBackorders } from './reserve-senders.js';

export type CountAvailableSendersOptions = { db: DbOrTx };

/**
 * Senders a new purchase can reserve, counted the way reserveSenders takes them: unused,
 * not in a flood wait, and not owed to paid back-orders. The pricing page's "sold out" and
 * checkout's 409 must agree.
 */
export async function countAvailableSenders({ db }: CountAvailableSendersOptions): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(senders)
    .where(and(eq(senders.state, 'unused'), sql`(${senders.frozenUntil} is null or ${senders.frozenUntil} <= now())`));
  const owed = await countOwedToBackorders(db);
  return Math.max(0, (row?.n ?? 0) - owed);
}

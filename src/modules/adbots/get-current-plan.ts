import { eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { preparedFor } from '../../db/prepared.js';
import { adbots } from '../../db/schema.js';

export type GetCurrentPlanOptions = { db: DbOrTx; userId: string };

export type CurrentPlan = {
  adbotId: string;
  planId: string;
  senderCount: number;
  status: 'running' | 'stopped' | 'expired' | 'suspended';
  expiresAt: Date;
  /** After the grace period the senders went back to stock: a new purchase starts from scratch. */
  sendersReleased: boolean;
};

/** The customer's one adbot, as checkout needs it to tell a new purchase from a renewal or upgrade. */
export async function getCurrentPlan({ db, userId }: GetCurrentPlanOptions): Promise<CurrentPlan | null> {
  // Every checkout asks it: prepared once (src/db/prepared.ts).
  const [row] = await preparedFor(db, 'adbot_by_user', (d) =>
    d
      .select()
      .from(adbots)
      .where(eq(adbots.userId, sql.placeholder('userId')))
      .prepare('adbot_by_user'),
  ).execute({ userId });
  if (!row) return null;
  return {
    adbotId: row.id,
    planId: row.planId,
    senderCount: row.senderCount,
    status: row.status,
    expiresAt: row.expiresAt,
    sendersReleased: row.sendersReleasedAt !== null,
  };
}

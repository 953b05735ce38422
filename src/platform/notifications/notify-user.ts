import type { DbOrTx } from '../../db/client.js';
import { notifications } from '../../db/schema.js';

export type NotifyUserOptions = {
  db: DbOrTx;
  userId: string;
  kind: string;
  title: string;
  body: string;
  /** Same key for the same user → one notification, however often a job retries. */
  dedupeKey?: string;
};

export async function notifyUser({ db, userId, kind, title, body, dedupeKey }: NotifyUserOptions): Promise<void> {
  await db
    .insert(notifications)
    .values({ userId, kind, title, body, dedupeKey: dedupeKey ?? null })
    .onConflictDoNothing();
}

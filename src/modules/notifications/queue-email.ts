import type { AppContext } from '../../context.js';
import type { DbOrTx } from '../../db/client.js';
import { emails } from '../../db/schema.js';

export type QueueEmailOptions = {
  ctx: AppContext;
  /** The transaction of the change the email reports: both commit, or neither. */
  tx: DbOrTx;
  to: string;
  subject: string;
  bodyText: string;
  /** One email per key, however often the caller retries. */
  dedupeKey: string;
};

/** Records the email and enqueues its delivery; returns the new email's id, or null if it already existed. */
export async function queueEmail({ ctx, tx, to, subject, bodyText, dedupeKey }: QueueEmailOptions): Promise<string | null> {
  const [row] = await tx
    .insert(emails)
    .values({ toAddress: to, subject, bodyText, dedupeKey })
    .onConflictDoNothing({ target: emails.dedupeKey })
    .returning({ id: emails.id });
  if (!row) return null;
  await ctx.jobs.send('send-email', { emailId: row.id }, { tx });
  return row.id;
}

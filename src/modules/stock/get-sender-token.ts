import { eq } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { senders } from '../../db/schema.js';
import { decrypt } from '../../lib/crypto.js';
import { AppError } from '../../lib/errors.js';
import type { AppContext } from '../../platform/app-context.js';

export type GetSenderTokenOptions = {
  ctx: Pick<AppContext, 'config' | 'db'>;
  senderId: string;
  /** Read inside the caller's transaction when there is one. */
  db?: DbOrTx;
};

/** The sender's bot token in plain text, for the Bot API client only: never log or return it. */
export async function getSenderToken({ ctx, senderId, db = ctx.db }: GetSenderTokenOptions): Promise<string> {
  const [row] = await db.select({ tokenEncrypted: senders.tokenEncrypted }).from(senders).where(eq(senders.id, senderId)).limit(1);
  if (!row) throw new AppError('not_found', 'No such sender');
  return decrypt(row.tokenEncrypted, ctx.config.encryptionKey);
}

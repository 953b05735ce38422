// The senders' update bookkeeping, owned here with the rest of the senders table: how far each
// bot's updates have been read (updates_offset) and where its webhook points (webhook_url).
import { eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { senders } from '../../db/schema.js';

export type SenderForUpdate = { id: string; username: string; adbotId: string | null; state: string };

/**
 * Locks the sender and moves its offset past `updateId`, in the caller's transaction; returns
 * the sender, or 'duplicate' when this update was read before, or null when there is no sender.
 */
export async function acceptSenderUpdate(tx: DbOrTx, senderId: string, updateId: number): Promise<SenderForUpdate | 'duplicate' | null> {
  const [sender] = await tx
    .select({ id: senders.id, username: senders.username, adbotId: senders.adbotId, state: senders.state, offset: senders.updatesOffset })
    .from(senders)
    .where(eq(senders.id, senderId))
    .for('update');
  if (!sender) return null;
  if (sender.offset !== null && updateId < sender.offset) return 'duplicate';
  await tx
    .update(senders)
    .set({ updatesOffset: sql`greatest(coalesce(${senders.updatesOffset}, 0), ${updateId + 1})` })
    .where(eq(senders.id, senderId));
  const { offset: _offset, ...rest } = sender;
  return rest;
}

/** Where the sender's webhook points now (null: none, getUpdates is used). */
export async function setSenderWebhookUrl(db: DbOrTx, senderId: string, url: string | null): Promise<void> {
  await db.update(senders).set({ webhookUrl: url }).where(eq(senders.id, senderId));
}

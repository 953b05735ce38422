import { and, eq, inArray } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { adbots, posts, targetChats } from '../../db/schema.js';
import { AppError } from '../../lib/errors.js';
import type { PutBotInput } from '../../shared/bot-config-schema.js';
import { REMOVED_CHAT_POSITION } from './get-bot-view.js';

export type UpdateBotConfigOptions = { db: DbOrTx; userId: string; input: PutBotInput };

/**
 * Replaces the ad and/or the list of target chats. Chats that stay keep their state and
 * history; new ones start 'pending' (the engine checks access before posting). A removed
 * chat is deleted unless posts reference it: then it is kept, hidden and never served
 * (position -1, sender cleared), so statistics and proof-of-posting links survive, and
 * adding it again revives the same row.
 */
export async function updateBotConfig({ db, userId, input }: UpdateBotConfigOptions): Promise<void> {
  await db.transaction(async (tx) => {
    const [bot] = await tx.select({ id: adbots.id }).from(adbots).where(eq(adbots.userId, userId)).for('update');
    if (!bot) throw new AppError('not_found', 'You have no adbot yet: buy a plan first');
    // A new ad is the fix for an ad-level error: the pause reason goes; Start resumes posting.
    if (input.post) await tx.update(adbots).set({ post: input.post, adError: null, adErrorAt: null, updatedAt: new Date() }).where(eq(adbots.id, bot.id));
    if (!input.chats) return;

    const wanted = new Map(input.chats.map((c) => [c.ref, c]));
    const existing = await tx
      .select({ id: targetChats.id, ref: targetChats.ref, position: targetChats.position })
      .from(targetChats)
      .where(eq(targetChats.adbotId, bot.id));
    const byRef = new Map(existing.map((c) => [c.ref, c]));

    let position = 0;
    for (const chat of wanted.values()) {
      const row = byRef.get(chat.ref);
      if (!row) {
        await tx.insert(targetChats).values({
          adbotId: bot.id,
          ref: chat.ref,
          username: chat.username,
          chatId: chat.chatId,
          status: 'pending',
          position,
        });
      } else if (row.position === REMOVED_CHAT_POSITION) {
        await tx
          .update(targetChats)
          .set({ position, status: 'pending', lastError: null, nextPostAt: null, checkFailures: 0, nextCheckAt: null })
          .where(eq(targetChats.id, row.id));
      } else if (row.position !== position) {
        await tx.update(targetChats).set({ position }).where(eq(targetChats.id, row.id));
      }
      position++;
    }

    const removed = existing.filter((c) => !wanted.has(c.ref) && c.position !== REMOVED_CHAT_POSITION).map((c) => c.id);
    if (removed.length === 0) return;
    const withPosts = new Set((await tx.selectDistinct({ id: posts.targetChatId }).from(posts).where(inArray(posts.targetChatId, removed))).map((r) => r.id));
    const deletable = removed.filter((id) => !withPosts.has(id));
    if (deletable.length) await tx.delete(targetChats).where(inArray(targetChats.id, deletable));
    if (withPosts.size) {
      await tx
        .update(targetChats)
        .set({ position: REMOVED_CHAT_POSITION, status: 'error', lastError: 'Removed by the customer', senderId: null, nextPostAt: null })
        .where(and(eq(targetChats.adbotId, bot.id), inArray(targetChats.id, [...withPosts])));
    }
  });
}

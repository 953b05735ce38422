// The dashboard's "Chats that added your bot": chats a sender of the customer's adbot was added
// to (my_chat_member) that the customer has not listed. Keyed by the session's user only.
import { and, desc, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../../db/client.js';
import { adbots, discoveredChats, senders } from '../../../db/schema.js';

export type DiscoveredChatRow = {
  id: string;
  chatId: string;
  chatType: string;
  title: string | null;
  username: string | null;
  ref: string;
  senderUsername: string | null;
  addedAt: Date;
};

export type ListDiscoveredChatsOptions = { db: DbOrTx; userId: string; limit?: number };

export async function listDiscoveredChats({ db, userId, limit = 50 }: ListDiscoveredChatsOptions): Promise<DiscoveredChatRow[]> {
  const rows = await db
    .select({
      id: discoveredChats.id,
      chatId: sql<string>`${discoveredChats.chatId}::text`,
      chatType: discoveredChats.chatType,
      title: discoveredChats.title,
      username: discoveredChats.username,
      senderUsername: senders.username,
      addedAt: discoveredChats.updatedAt,
    })
    .from(discoveredChats)
    .innerJoin(adbots, eq(adbots.id, discoveredChats.adbotId))
    .leftJoin(senders, eq(senders.id, discoveredChats.senderId))
    .where(
      and(
        eq(adbots.userId, userId),
        eq(discoveredChats.status, 'member'),
        // Listed since (by id, or by the @username it was typed as): no longer an offer.
        sql`not exists (select 1 from target_chats tc where tc.adbot_id = ${discoveredChats.adbotId} and tc.position >= 0
          and (tc.chat_id = ${discoveredChats.chatId} or tc.ref = ${discoveredChats.chatId}::text
            or (${discoveredChats.username} is not null and tc.ref = '@' || ${discoveredChats.username})))`,
      ),
    )
    .orderBy(desc(discoveredChats.updatedAt))
    .limit(limit);
  return rows.map((r) => ({ ...r, ref: r.username ? `@${r.username}` : r.chatId }));
}

import { desc, eq } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { posts, senders, targetChats } from '../../db/schema.js';
import { AppError } from '../../lib/errors.js';
import { type BotView, getBotView } from '../adbots/get-bot-view.js';

/** How many of the latest posts the admin sees: enough to judge an ad's recent run. */
export const RECENT_POSTS = 50;

export type CustomerAdbot = {
  bot: BotView;
  recentPosts: {
    id: string;
    status: string;
    chatRef: string;
    chatTitle: string | null;
    senderUsername: string | null;
    messageUrl: string | null;
    error: string | null;
    createdAt: Date;
    sentAt: Date | null;
  }[];
};

/**
 * A customer's adbot as their dashboard shows it (ad, senders, chats with status) plus its
 * latest posts, for moderation and support. Read only; sender tokens are never selected.
 */
export async function getCustomerAdbot({ db, userId }: { db: DbOrTx; userId: string }): Promise<CustomerAdbot> {
  const bot = await getBotView({ db, userId });
  if (!bot) throw new AppError('not_found', 'This customer has no adbot');
  const recentPosts = await db
    .select({
      id: posts.id,
      status: posts.status,
      chatRef: targetChats.ref,
      chatTitle: targetChats.title,
      senderUsername: senders.username,
      messageUrl: posts.messageUrl,
      error: posts.error,
      createdAt: posts.createdAt,
      sentAt: posts.sentAt,
    })
    .from(posts)
    .innerJoin(targetChats, eq(targetChats.id, posts.targetChatId))
    .leftJoin(senders, eq(senders.id, posts.senderId))
    .where(eq(posts.adbotId, bot.id))
    .orderBy(desc(posts.createdAt), desc(posts.id))
    .limit(RECENT_POSTS);
  return { bot, recentPosts };
}

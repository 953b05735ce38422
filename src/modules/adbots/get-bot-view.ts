import { and, asc, eq, gte, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { adbots, plans, senders, targetChats } from '../../db/schema.js';

export type BotView = {
  id: string;
  status: 'running' | 'stopped' | 'expired' | 'suspended';
  planId: string;
  planSlug: string;
  planName: string;
  postingIntervalSeconds: number;
  senderCount: number;
  expiresAt: Date;
  senders: { id: string; username: string; state: string; addToGroupUrl: string; addToChannelUrl: string }[];
  post: Record<string, unknown> | null;
  chats: {
    ref: string;
    chatId: string | null;
    title: string | null;
    status: string;
    senderUsername: string | null;
    lastPostAt: Date | null;
    nextPostAt: Date | null;
    lastError: string | null;
    lastPostUrl: string | null;
    /** The latest post went out just before a worker stopped: sent, not confirmed (no link). */
    lastPostUnconfirmed: boolean;
  }[];
};

/** Chats with this position were removed by the customer but keep their post history. */
export const REMOVED_CHAT_POSITION = -1;

export type GetBotViewOptions = { db: DbOrTx; userId: string };

/** The customer's adbot as the dashboard shows it, or null before the first purchase. */
export async function getBotView({ db, userId }: GetBotViewOptions): Promise<BotView | null> {
  const [bot] = await db
    .select({ adbot: adbots, planSlug: plans.slug, planName: plans.name })
    .from(adbots)
    .innerJoin(plans, eq(plans.id, adbots.planId))
    .where(eq(adbots.userId, userId));
  if (!bot) return null;
  const a = bot.adbot;
  const senderRows = await db
    .select({ id: senders.id, username: senders.username, state: senders.state })
    .from(senders)
    .where(eq(senders.adbotId, a.id))
    .orderBy(asc(senders.createdAt));
  const chatRows = await db
    .select({
      ref: targetChats.ref,
      chatId: targetChats.chatId,
      title: targetChats.title,
      status: targetChats.status,
      senderUsername: senders.username,
      lastPostAt: targetChats.lastPostAt,
      nextPostAt: targetChats.nextPostAt,
      lastError: targetChats.lastError,
      lastPostUrl: sql<
        string | null
      >`(select p.message_url from posts p where p.target_chat_id = ${targetChats.id} and p.status = 'sent' order by p.sent_at desc nulls last limit 1)`,
      lastPostUnconfirmed: sql<boolean>`coalesce((select p.status = 'unconfirmed' from posts p where p.target_chat_id = ${targetChats.id} and p.status in ('sent', 'unconfirmed') order by p.created_at desc limit 1), false)`,
    })
    .from(targetChats)
    .leftJoin(senders, eq(senders.id, targetChats.senderId))
    .where(and(eq(targetChats.adbotId, a.id), gte(targetChats.position, 0)))
    .orderBy(asc(targetChats.position));
  return {
    id: a.id,
    status: a.status,
    planId: a.planId,
    planSlug: bot.planSlug,
    planName: bot.planName,
    postingIntervalSeconds: a.postingIntervalSeconds,
    senderCount: a.senderCount,
    expiresAt: a.expiresAt,
    senders: senderRows.map((s) => ({
      ...s,
      addToGroupUrl: `https://t.me/${s.username}?startgroup=true`,
      addToChannelUrl: `https://t.me/${s.username}?startchannel=true&admin=post_messages`,
    })),
    post: a.post ?? null,
    chats: chatRows.map((c) => ({ ...c, chatId: c.chatId === null ? null : c.chatId.toString() })),
  };
}

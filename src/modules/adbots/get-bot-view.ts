import { eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { adbots, plans, type senders, type targetChats, users } from '../../db/schema.js';
import { tickBatcher } from '../../lib/tick-batcher.js';
import { type CurrentUserRow, currentUserColumns } from '../accounts/get-current-user.js';

type SenderState = (typeof senders.state.enumValues)[number];
type ChatStatus = (typeof targetChats.status.enumValues)[number];

export type BotView = {
  id: string;
  status: 'running' | 'stopped' | 'expired' | 'suspended';
  planId: string;
  planSlug: string;
  planName: string;
  postingIntervalSeconds: number;
  senderCount: number;
  expiresAt: Date;
  senders: { id: string; username: string; state: SenderState; addToGroupUrl: string; addToChannelUrl: string }[];
  post: Record<string, unknown> | null;
  /** Why the ad was paused (an error in the ad itself), until it is edited or the bot started. */
  adError: string | null;
  chats: {
    ref: string;
    chatId: string | null;
    title: string | null;
    status: ChatStatus;
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

type ViewRow = {
  id: string;
  status: BotView['status'];
  plan_id: string;
  plan_slug: string;
  plan_name: string;
  posting_interval_seconds: number;
  sender_count: number;
  expires_at: string | Date;
  post: Record<string, unknown> | null;
  ad_error: string | null;
  senders: { id: string; username: string; state: SenderState }[];
  chats: {
    ref: string;
    chatId: string | null;
    title: string | null;
    status: ChatStatus;
    senderUsername: string | null;
    lastPostAt: string | null;
    nextPostAt: string | null;
    lastError: string | null;
    lastPostUrl: string | null;
    lastPostUnconfirmed: boolean;
  }[];
};

const toDate = (v: string | Date | null): Date | null => (v === null ? null : v instanceof Date ? v : new Date(v));

const viewColumns = {
  id: adbots.id,
  status: adbots.status,
  plan_id: adbots.planId,
  plan_slug: plans.slug,
  plan_name: plans.name,
  posting_interval_seconds: adbots.postingIntervalSeconds,
  sender_count: adbots.senderCount,
  expires_at: adbots.expiresAt,
  post: adbots.post,
  ad_error: adbots.adError,
  senders: sql<ViewRow['senders']>`coalesce((
        select json_agg(json_build_object('id', s.id, 'username', s.username, 'state', s.state) order by s.created_at, s.id)
        from senders s where s.adbot_id = ${adbots.id}
      ), '[]'::json)`,
  chats: sql<ViewRow['chats']>`coalesce((
        select json_agg(json_build_object(
          'ref', c.ref, 'chatId', c.chat_id::text, 'title', c.title, 'status', c.status,
          'senderUsername', cs.username, 'lastPostAt', c.last_post_at, 'nextPostAt', c.next_post_at,
          'lastError', c.last_error,
          'lastPostUrl', (select po.message_url from posts po where po.target_chat_id = c.id and po.status = 'sent'
                          order by po.sent_at desc nulls last limit 1),
          'lastPostUnconfirmed', coalesce((select po.status = 'unconfirmed' from posts po where po.target_chat_id = c.id
                          and po.status in ('sent', 'unconfirmed') order by po.created_at desc limit 1), false)
        ) order by c.position)
        from target_chats c left join senders cs on cs.id = c.sender_id
        where c.adbot_id = ${adbots.id} and c.position >= 0
      ), '[]'::json)`,
};

const viewQuery = (db: DbOrTx) =>
  db
    .select(viewColumns)
    .from(adbots)
    .innerJoin(plans, eq(plans.id, adbots.planId))
    .where(eq(adbots.userId, sql.placeholder('userId')));

// The user row a session check needs beside the view, for every user of a batch: no user, no
// row; a user without an adbot, a row whose view columns are null (one adbot per user).
const viewWithUserQuery = (db: DbOrTx) =>
  db
    .select({ user: currentUserColumns, ...viewColumns })
    .from(users)
    .leftJoin(adbots, eq(adbots.userId, users.id))
    .leftJoin(plans, eq(plans.id, adbots.planId))
    .where(sql`${users.id} = any(${sql.placeholder('userIds')}::uuid[])`);

type ViewWithUserRow = Awaited<ReturnType<ReturnType<ReturnType<typeof viewWithUserQuery>['prepare']>['execute']>>[number];

// Built once per database handle and prepared on each connection: the SQL is the same for
// every poll, so neither Drizzle nor PostgreSQL should plan it again each time.
const prepared = new WeakMap<object, ReturnType<ReturnType<typeof viewQuery>['prepare']>>();
const batchers = new WeakMap<object, (userId: string) => Promise<ViewWithUserRow | undefined>>();

// Session ids come from tokens this server signed, so they are UUIDs; anything else must not
// reach a batch, where one malformed id would fail the other users' statement too.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function viewWithUserBatcher(db: DbOrTx) {
  let load = batchers.get(db);
  if (!load) {
    const q = viewWithUserQuery(db).prepare('get_bot_views_with_users');
    load = tickBatcher(async (userIds: string[]) => {
      const rows = await q.execute({ userIds });
      return new Map(rows.map((row) => [row.user.id!, row]));
    });
    batchers.set(db, load);
  }
  return load;
}

/**
 * The customer's adbot as the dashboard shows it, or null before the first purchase.
 * One round trip: the dashboard polls this, and three sequential queries per poll were most
 * of its cost (issue 12). Senders and chats come back as JSON arrays in their display order;
 * chat ids travel as text so a 64-bit id keeps every digit.
 */
export async function getBotView({ db, userId }: GetBotViewOptions): Promise<BotView | null> {
  let q = prepared.get(db);
  if (!q) {
    q = viewQuery(db).prepare('get_bot_view');
    prepared.set(db, q);
  }
  const rows = (await q.execute({ userId })) as ViewRow[];
  return rows[0] ? toView(rows[0]) : null;
}

/**
 * The stored user (for the session check) and their adbot's view, in one round trip: the
 * dashboard polls this, and a user query before the view query was half its database time.
 * Polls that arrive together share that statement (tickBatcher): each is still answered by a
 * read that started after it arrived, never by an earlier one.
 * `user` is undefined when no such user exists; the caller must check it before using `bot`.
 */
export async function getBotViewWithUser({ db, userId }: GetBotViewOptions): Promise<{ user: CurrentUserRow | undefined; bot: BotView | null }> {
  // Keyed as PostgreSQL prints a uuid (lower case), so the row finds its caller.
  const row = UUID.test(userId) ? await viewWithUserBatcher(db)(userId.toLowerCase()) : undefined;
  if (!row) return { user: undefined, bot: null };
  const { user, ...view } = row;
  return { user, bot: view.id === null ? null : toView(view as unknown as ViewRow) };
}

function toView(a: ViewRow): BotView {
  return {
    id: a.id,
    status: a.status,
    planId: a.plan_id,
    planSlug: a.plan_slug,
    planName: a.plan_name,
    postingIntervalSeconds: a.posting_interval_seconds,
    senderCount: a.sender_count,
    expiresAt: toDate(a.expires_at)!,
    senders: a.senders.map((s) => ({
      ...s,
      addToGroupUrl: `https://t.me/${s.username}?startgroup=true`,
      addToChannelUrl: `https://t.me/${s.username}?startchannel=true&admin=post_messages`,
    })),
    post: a.post ?? null,
    adError: a.ad_error ?? null,
    chats: a.chats.map((c) => ({ ...c, lastPostAt: toDate(c.lastPostAt), nextPostAt: toDate(c.nextPostAt) })),
  };
}

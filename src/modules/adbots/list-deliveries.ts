// The delivery log: a customer's posts, newest first, one page per SQL statement.
// Keyset pagination on (created_at, id): created_at is the claim time, the second column of both
// posts indexes, and a claim batch shares one created_at, so the post id breaks the tie.
import { and, desc, eq, gte, lt, lte, or, type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { adbots, posts, senders, targetChats } from '../../db/schema.js';
import { AppError } from '../../lib/errors.js';
import type { DeliveryFilter, DeliveryResult } from '../../shared/api/customer.js';

export type DeliveryRow = {
  id: string;
  at: Date;
  dueAt: Date | null;
  chatRef: string;
  chatTitle: string | null;
  botUsername: string | null;
  result: DeliveryResult;
  error: string | null;
  url: string | null;
};

export type ListDeliveriesOptions = {
  db: DbOrTx;
  /** The session's user: never an id taken from the request. */
  userId: string;
  filter: DeliveryFilter;
  limit: number;
  cursor?: string | undefined;
};

export type DeliveriesPage = { posts: DeliveryRow[]; nextCursor: string | null };

// Microseconds, as PostgreSQL keeps them: a millisecond Date would skip or repeat rows at a page edge.
const KEY = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

type Cursor = { key: string; id: string };

export function encodeCursor(c: Cursor): string {
  return Buffer.from(`${c.key}|${c.id}`).toString('base64url');
}

export function decodeCursor(cursor: string): Cursor {
  const [key, id, ...rest] = Buffer.from(cursor, 'base64url').toString().split('|');
  if (!key || !id || rest.length || !KEY.test(key) || !UUID.test(id)) {
    throw new AppError('bad_request', 'cursor is not one this API gave out: start again from the first page');
  }
  return { key, id };
}

/** The WHERE of a page: the customer's adbot (or one of its chats), the filters, and the keyset. */
function pageConditions(userId: string, filter: DeliveryFilter, after: Cursor | null): SQL {
  const ownAdbot = sql`(select ${adbots.id} from ${adbots} where ${adbots.userId} = ${userId})`;
  // A scalar subquery, not a join: the planner then walks posts_chat_created_idx (or
  // posts_adbot_created_idx) backwards from a constant and stops at the page's end.
  const scope = filter.chat
    ? eq(
        posts.targetChatId,
        sql`(select ${targetChats.id} from ${targetChats} where ${targetChats.adbotId} = ${ownAdbot} and ${targetChats.ref} = ${filter.chat})`,
      )
    : eq(posts.adbotId, ownAdbot);
  const conditions: (SQL | undefined)[] = [
    scope,
    filter.result ? eq(posts.status, filter.result) : undefined,
    filter.from ? gte(posts.createdAt, new Date(filter.from)) : undefined,
    filter.to ? lt(posts.createdAt, new Date(filter.to)) : undefined,
  ];
  if (after) {
    // Spelled out rather than a row comparison, so created_at stays an index condition.
    const key = sql`${after.key}::timestamptz`;
    conditions.push(lte(posts.createdAt, key), or(lt(posts.createdAt, key), lt(posts.id, after.id)));
  }
  return and(...conditions)!;
}

/** One page of the log; `nextCursor` is null on the last page. */
export async function listDeliveries({ db, userId, filter, limit, cursor }: ListDeliveriesOptions): Promise<DeliveriesPage> {
  const after = cursor ? decodeCursor(cursor) : null;
  const rows = await db
    .select({
      id: posts.id,
      key: sql<string>`to_char(${posts.createdAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`,
      createdAt: posts.createdAt,
      sentAt: posts.sentAt,
      dueAt: posts.dueAt,
      chatRef: targetChats.ref,
      chatTitle: targetChats.title,
      botUsername: senders.username,
      result: posts.status,
      error: posts.error,
      url: posts.messageUrl,
    })
    .from(posts)
    .innerJoin(targetChats, eq(targetChats.id, posts.targetChatId))
    .leftJoin(senders, eq(senders.id, posts.senderId))
    .where(pageConditions(userId, filter, after))
    .orderBy(desc(posts.createdAt), desc(posts.id))
    // One more than asked: whether a next page exists, without a count.
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    posts: page.map(({ key: _key, createdAt, sentAt, ...r }) => ({ ...r, at: sentAt ?? createdAt })),
    nextCursor: rows.length > limit && last ? encodeCursor({ key: last.key, id: last.id }) : null,
  };
}

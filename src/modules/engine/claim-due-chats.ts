// The engine's one claim statement: a batch of due chats, taken with FOR UPDATE SKIP LOCKED so
// any number of workers claim disjoint sets, each chat's next post moved one interval on and
// its posts row (the chat's own next slot number) inserted in the same statement. The unique
// (chat, slot) index keeps a slot exactly-once; a claim never lands closer than the chat's
// interval (the plan's, or the group's slow mode if longer) to the previous attempt in it.
import { sql } from 'drizzle-orm';
import { namedQuery } from '../../db/named-query.js';
import type { AppContext } from '../../platform/app-context.js';
import { readStoredPost, type StoredPost } from './deliver-post.js';

export type ClaimedChat = {
  targetChatId: string;
  adbotId: string;
  ref: string;
  chatId: bigint | null;
  username: string | null;
  chatType: string | null;
  senderId: string;
  senderUsername: string;
  senderIsSandbox: boolean;
  /** The chat's effective interval: max(plan interval, slow mode). */
  intervalSeconds: number;
  /** When the chat was due (its next_post_at before the claim, or the claim time when it had none). */
  dueAt: Date;
  /** next_post_at as the claim left it: a give-back only undoes a claim nothing moved on since. */
  claimedNextPostAt: Date;
  postId: string;
  post: StoredPost;
};

export type ClaimDueChatsOptions = {
  ctx: Pick<AppContext, 'db'>;
  workerId: string;
  now: Date;
  limit: number;
};

type Row = Omit<ClaimedChat, 'chatId' | 'post' | 'dueAt' | 'claimedNextPostAt'> & {
  chatId: string | null;
  post: unknown;
  dueAt: Date | string;
  claimedNextPostAt: Date | string;
};

/** $1: the claim time, $2: the worker, $3: the batch size. */
const CLAIM_SQL = `
    with cand as (
      select tc.id from target_chats tc
      join adbots a on a.id = tc.adbot_id
      join users u on u.id = a.user_id
      join senders s on s.id = tc.sender_id
      where tc.status = 'ok' and tc.position >= 0 and (tc.next_post_at is null or tc.next_post_at <= $1::timestamptz)
        and a.status = 'running' and a.expires_at > $1::timestamptz and not u.banned and a.post is not null and a.ad_error is null
        and s.state = 'assigned' and s.adbot_id = a.id and s.lease_owner = $2
        -- Never closer than the interval to the previous attempt, whatever moved next_post_at.
        and not exists (
          select 1 from posts p where p.target_chat_id = tc.id
            and p.created_at > $1::timestamptz - make_interval(secs => greatest(a.posting_interval_seconds, tc.slow_mode_seconds)) - interval '10 minutes'
            and coalesce(p.sent_at, p.created_at) > $1::timestamptz - make_interval(secs => greatest(a.posting_interval_seconds, tc.slow_mode_seconds)))
      order by tc.next_post_at asc nulls first
      limit $3::int
    ),
    due as (
      select tc.id, tc.next_post_at as due_at from target_chats tc
      where tc.id in (select id from cand) and tc.status = 'ok' and tc.position >= 0
        and (tc.next_post_at is null or tc.next_post_at <= $1::timestamptz)
      for update of tc skip locked
    ),
    claimed as (
      update target_chats tc set next_post_at = $1::timestamptz + make_interval(secs => greatest(a.posting_interval_seconds, tc.slow_mode_seconds)), post_seq = tc.post_seq + 1
      from due, adbots a
      where tc.id = due.id and a.id = tc.adbot_id
      returning tc.id, tc.adbot_id, tc.sender_id, tc.ref, tc.chat_id, tc.username, tc.chat_type, tc.post_seq,
        tc.next_post_at as claimed_next, coalesce(due.due_at, $1::timestamptz) as due_at,
        greatest(a.posting_interval_seconds, tc.slow_mode_seconds) as interval_s, a.post
    ),
    ins as (
      insert into posts (adbot_id, target_chat_id, sender_id, slot, status, created_at, due_at)
      select adbot_id, id, sender_id, post_seq, 'sending', $1::timestamptz, due_at from claimed
      on conflict (target_chat_id, slot) do nothing
      returning id, target_chat_id
    )
    select c.id as "targetChatId", c.adbot_id as "adbotId", c.ref, c.chat_id::text as "chatId", c.username,
      c.chat_type as "chatType", c.sender_id as "senderId", s.username as "senderUsername", s.is_sandbox as "senderIsSandbox",
      c.interval_s as "intervalSeconds", c.due_at as "dueAt", c.claimed_next as "claimedNextPostAt", i.id as "postId", c.post
    from claimed c join ins i on i.target_chat_id = c.id join senders s on s.id = c.sender_id`;

/** Claims up to `limit` due chats whose sender this worker leases, most overdue first. */
export async function claimDueChats({ ctx, workerId, now, limit }: ClaimDueChatsOptions): Promise<ClaimedChat[]> {
  const rows = await namedQuery<Row>(ctx.db, 'engine_claim_due_chats', CLAIM_SQL, [now.toISOString(), workerId, limit]);
  const claimed: ClaimedChat[] = [];
  for (const r of rows) {
    const post = readStoredPost(typeof r.post === 'string' ? JSON.parse(r.post) : r.post);
    if (!post) continue;
    claimed.push({
      ...r,
      chatId: r.chatId === null ? null : BigInt(r.chatId),
      intervalSeconds: Number(r.intervalSeconds),
      dueAt: new Date(r.dueAt),
      claimedNextPostAt: new Date(r.claimedNextPostAt),
      post,
    });
  }
  return claimed;
}

export type NextDueAtOptions = { ctx: Pick<AppContext, 'db'>; workerId: string };

/** When the earliest chat this worker drives is due next (null: none): the loop sleeps until then. */
export async function nextDueAt({ ctx, workerId }: NextDueAtOptions): Promise<Date | null> {
  const res = (await ctx.db.execute(sql`
    select coalesce(tc.next_post_at, now()) as at from target_chats tc
    join senders s on s.id = tc.sender_id
    join adbots a on a.id = tc.adbot_id
    where tc.status = 'ok' and tc.position >= 0 and s.lease_owner = ${workerId} and s.state = 'assigned'
      and a.status = 'running' and a.expires_at > now()
    order by tc.next_post_at asc nulls first limit 1`)) as unknown as { rows: { at: Date | string }[] };
  const row = res.rows[0];
  return row ? new Date(row.at) : null;
}

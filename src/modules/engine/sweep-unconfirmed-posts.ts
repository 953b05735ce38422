import { namedQuery } from '../../db/named-query.js';
import type { AppContext } from '../../platform/app-context.js';
import { postsInFlight } from './record-deliveries.js';

export type SweepUnconfirmedPostsOptions = {
  ctx: Pick<AppContext, 'db'>;
  /** This worker: only rows of senders it leases are looked at (nobody else delivers for them). */
  workerId: string;
  /** The tick's clock: rows claimed by this tick are in flight, not abandoned. */
  now: Date;
};

export const UNCONFIRMED_NOTE = 'Sent, not confirmed: the worker stopped before Telegram answered, so there is no message id or link';

/** $1: the tick's clock, $2: the worker, $3: posts in flight (a JSON array), $4: the note. */
const SWEEP_SQL = `
    -- The 'sending' rows are read once through their partial index, then matched to this
    -- worker's senders: left to itself the planner scanned the index once per leased sender
    -- (it cannot know how many senders a worker leases), 330 ms a tick at 2,000 senders.
    with sending as materialized (
      select p.id, p.sender_id from posts p
      where p.status = 'sending' and p.created_at < $1::timestamptz
    ),
    swept as (
      update posts p set status = 'unconfirmed', error = $4
      from sending c join senders s on s.id = c.sender_id and s.lease_owner = $2
      where p.id = c.id and p.status = 'sending'
        and c.id not in (select jsonb_array_elements_text($3::jsonb)::uuid)
      returning p.target_chat_id, coalesce(p.sent_at, p.created_at) as at
    ),
    -- The chat shows when it was last posted to (the attempt: the send followed within moments).
    moved as (
      update target_chats tc set last_post_at = s.at
      from (select target_chat_id, max(at) as at from swept group by target_chat_id) s
      where tc.id = s.target_chat_id and (tc.last_post_at is null or tc.last_post_at < s.at)
    )
    select count(*)::int as n from swept`;

/**
 * A 'sending' row whose worker crashed (or lost the database) after the Bot API call never
 * learns the result: the post very likely went out. It becomes 'unconfirmed' — counted as
 * sent, shown as "sent, not confirmed", and, like any claimed slot, never sent again.
 * A row is abandoned when its sender's lease is ours, it was claimed before this tick and this
 * process has no delivery of it in flight: a worker delivers only under the lease.
 */
export async function sweepUnconfirmedPosts({ ctx, workerId, now }: SweepUnconfirmedPostsOptions): Promise<number> {
  const inFlight = JSON.stringify([...postsInFlight]);
  const rows = await namedQuery<{ n: number }>(ctx.db, 'engine_sweep_unconfirmed', SWEEP_SQL, [now.toISOString(), workerId, inFlight, UNCONFIRMED_NOTE]);
  return Number(rows[0]?.n ?? 0);
}

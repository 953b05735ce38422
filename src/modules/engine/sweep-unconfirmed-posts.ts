import { sql } from 'drizzle-orm';
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

/**
 * A 'sending' row whose worker crashed (or lost the database) after the Bot API call never
 * learns the result: the post very likely went out. It becomes 'unconfirmed' — counted as
 * sent, shown as "sent, not confirmed", and, like any claimed slot, never sent again.
 * A row is abandoned when its sender's lease is ours, it was claimed before this tick and this
 * process has no delivery of it in flight: a worker delivers only under the lease.
 */
export async function sweepUnconfirmedPosts({ ctx, workerId, now }: SweepUnconfirmedPostsOptions): Promise<number> {
  const inFlight = JSON.stringify([...postsInFlight]);
  const res = (await ctx.db.execute(sql`
    with swept as (
      update posts p set status = 'unconfirmed', error = ${UNCONFIRMED_NOTE}
      where p.status = 'sending' and p.created_at < ${now.toISOString()}::timestamptz
        and p.sender_id in (select id from senders where lease_owner = ${workerId})
        and p.id not in (select jsonb_array_elements_text(${inFlight}::jsonb)::uuid)
      returning p.target_chat_id, coalesce(p.sent_at, p.created_at) as at
    ),
    -- The chat shows when it was last posted to (the attempt: the send followed within moments).
    moved as (
      update target_chats tc set last_post_at = s.at
      from (select target_chat_id, max(at) as at from swept group by target_chat_id) s
      where tc.id = s.target_chat_id and (tc.last_post_at is null or tc.last_post_at < s.at)
    )
    select count(*)::int as n from swept`)) as unknown as { rows: { n: number }[] };
  return Number(res.rows[0]?.n ?? 0);
}

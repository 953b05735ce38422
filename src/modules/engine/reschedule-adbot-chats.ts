// A plan change or renewal that changes the posting interval: each chat's next post moves to
// the new interval counted from its last post (never earlier than the slow mode allows), so an
// upgrade speeds up at once and a downgrade never posts sooner than the new interval.
import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';

export type RescheduleAdbotChatsOptions = { db: DbOrTx; adbotId: string };

/** Call after the adbot's interval was written (same transaction is fine). */
export async function rescheduleAdbotChats({ db, adbotId }: RescheduleAdbotChatsOptions): Promise<void> {
  await db.execute(sql`
    update target_chats tc
    set next_post_at = tc.last_post_at + make_interval(secs => greatest(a.posting_interval_seconds, tc.slow_mode_seconds))
    from adbots a
    where a.id = tc.adbot_id and tc.adbot_id = ${adbotId} and tc.position >= 0 and tc.last_post_at is not null`);
}

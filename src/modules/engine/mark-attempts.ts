// The re-check just before each Bot API call, batched: every delivery that is ready to call
// Telegram in the same turn of the event loop is re-checked by one statement (the bot still
// runs, is not expired or banned, the ad has no error, the chat is still ok with this sender,
// the sender still works for this adbot), which also stamps each attempt's time. One statement
// per turn instead of one per post; each delivery still waits for its own answer before calling.
import { namedQuery, pgArray } from '../../db/named-query.js';
import type { AppContext } from '../../platform/app-context.js';

type Waiting = { postId: string; at: Date; resolve: (ok: boolean) => void; reject: (err: unknown) => void };

export class AttemptMarker {
  private queue: Waiting[] = [];
  private scheduled = false;

  constructor(
    private readonly ctx: Pick<AppContext, 'db'>,
    private readonly maxBatch = 200,
  ) {}

  /** True when the post may go out now (its attempt time is stamped); false: nothing may be sent. */
  mark(postId: string, at: Date): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.queue.push({ postId, at, resolve, reject });
      if (this.queue.length >= this.maxBatch) void this.flush();
      else if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    this.scheduled = false;
    const batch = this.queue;
    this.queue = [];
    if (batch.length === 0) return;
    try {
      const ok = await markAttempts(this.ctx, batch);
      for (const w of batch) w.resolve(ok.has(w.postId));
    } catch (err) {
      for (const w of batch) w.reject(err);
    }
  }
}

const MARK_SQL = `
  with r as (select * from unnest($1::uuid[], $2::timestamptz[]) as r(id, at))
  update posts p set sent_at = r.at
  from r, target_chats tc, adbots a, users u, senders s
  where p.id = any($1::uuid[]) and p.id = r.id and p.status = 'sending' and tc.id = p.target_chat_id and a.id = tc.adbot_id
    and u.id = a.user_id and s.id = p.sender_id
    and a.status = 'running' and not u.banned and a.expires_at > r.at and a.ad_error is null
    and tc.status = 'ok' and tc.position >= 0 and tc.sender_id = p.sender_id
    and s.state = 'assigned' and s.adbot_id = a.id
  returning p.id`;

async function markAttempts(ctx: Pick<AppContext, 'db'>, batch: Waiting[]): Promise<Set<string>> {
  const rows = await namedQuery<{ id: string }>(ctx.db, 'engine_mark_attempts', MARK_SQL, [
    pgArray(batch.map((w) => w.postId)),
    pgArray(batch.map((w) => w.at.toISOString())),
  ]);
  return new Set(rows.map((r) => r.id));
}

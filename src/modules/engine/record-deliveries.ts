// Successful sends are recorded in batches: one statement marks a whole batch of posts sent and
// moves their chats' last_post_at and next due time. Until a batch is written its rows stay 'sending' and are
// listed as in flight, so this worker's own sweep leaves them alone; a crash before the write
// leaves them to the next lease holder's sweep ('unconfirmed': counted as sent, never resent).
import { namedQuery, pgArray } from '../../db/named-query.js';
import type { AppContext } from '../../platform/app-context.js';

export type Delivered = {
  postId: string;
  targetChatId: string;
  messageId: number;
  url: string | null;
  /** When Telegram answered. */
  sentAt: Date;
  /** The chat's effective interval: its next post is due no sooner than sentAt plus this. */
  intervalSeconds: number;
};

/** Posts claimed or sent by this process and not yet recorded: never swept as abandoned. */
export const postsInFlight = new Set<string>();

const RECORD_SQL = `
  with r as (
    select * from unnest($1::uuid[], $2::uuid[], $3::bigint[], $4::text[], $5::timestamptz[], $6::timestamptz[])
      as r(post_id, chat_id, message_id, url, sent_at, next_at)
  ),
  up as (
    update posts p set status = 'sent', telegram_message_id = r.message_id, message_url = r.url, sent_at = r.sent_at, error = null
    from r where p.id = any($1::uuid[]) and p.id = r.post_id and p.status = 'sending'
  )
  -- The claim moved next_post_at one interval on from the claim; the interval counts from
  -- Telegram's answer, so it moves on to that (greatest() skips a null: due-now is overridden).
  update target_chats tc set last_post_at = greatest(tc.last_post_at, r.sent_at), last_error = null,
    next_post_at = greatest(tc.next_post_at, r.next_at)
  from r where tc.id = any($2::uuid[]) and tc.id = r.chat_id`;

export class DeliveryRecorder {
  private pending: Delivered[] = [];
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly ctx: Pick<AppContext, 'db' | 'log'>,
    private readonly batchSize = 100,
  ) {}

  add(delivery: Delivered): void {
    this.pending.push(delivery);
    if (this.pending.length >= this.batchSize) void this.flush();
  }

  /** Writes what is pending; resolves when every write started so far has finished. */
  async flush(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    if (batch.length > 0) {
      this.flushing = this.flushing.then(() => this.write(batch));
    }
    await this.flushing;
  }

  private async write(batch: Delivered[]): Promise<void> {
    try {
      await namedQuery(this.ctx.db, 'engine_record_deliveries', RECORD_SQL, [
        pgArray(batch.map((d) => d.postId)),
        pgArray(batch.map((d) => d.targetChatId)),
        pgArray(batch.map((d) => d.messageId)),
        pgArray(batch.map((d) => d.url)),
        pgArray(batch.map((d) => d.sentAt.toISOString())),
        pgArray(batch.map((d) => new Date(d.sentAt.getTime() + d.intervalSeconds * 1000).toISOString())),
      ]);
      for (const d of batch) postsInFlight.delete(d.postId);
    } catch (err) {
      // The rows stay 'sending' and in flight here; a later sweep (after a restart) marks them
      // unconfirmed. Never re-send: the posts went out.
      for (const d of batch) postsInFlight.delete(d.postId);
      this.ctx.log.error({ err, count: batch.length }, 'engine: recording sent posts failed; they will show as sent, not confirmed');
    }
  }
}

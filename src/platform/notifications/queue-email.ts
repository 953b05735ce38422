import { randomUUID } from 'node:crypto';
import { type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { preparedFor } from '../../db/prepared.js';
import { emails } from '../../db/schema.js';
import { encrypt } from '../../lib/crypto.js';
import type { AppContext } from '../app-context.js';
import type { JobRequest } from '../jobs/job-sender.js';
import { maskSecret } from './mask-secret.js';

export type QueueEmailOptions = {
  ctx: AppContext;
  /** The transaction of the change the email reports: both commit, or neither. */
  tx: DbOrTx;
  to: string;
  subject: string;
  bodyText: string;
  /**
   * Values in the subject or body that must never be stored readable (access codes, license
   * keys, one-time codes): the row keeps them masked, and the full message only sealed with
   * ENCRYPTION_KEY until it is sent (see send-email.ts).
   */
  secrets?: readonly (string | null | undefined)[];
  /** One email per key, however often the caller retries. */
  dedupeKey: string;
  /**
   * false: the caller sends `emailDeliveryJob(id)` itself, in the same transaction, with its own
   * jobs (one insert for all of them on the paid-IPN path).
   */
  enqueue?: boolean;
};

/** The message as sent, sealed while the email waits for delivery. */
export type SealedMessage = { subject: string; text: string };

/** Records the email and enqueues its delivery; returns the new email's id, or null if it already existed. */
export async function queueEmail({ ctx, tx, to, subject, bodyText, secrets = [], dedupeKey, enqueue = true }: QueueEmailOptions): Promise<string | null> {
  const present = secrets.filter((s): s is string => typeof s === 'string' && s.length > 0);
  let stored = { subject, bodyText };
  let sealedMessage: string | null = null;
  if (present.length > 0) {
    for (const secret of present) {
      // A secret the caller names but the message lacks is a composing bug, not something to ignore.
      if (!subject.includes(secret) && !bodyText.includes(secret)) throw new Error('queueEmail: a secret is not in the message');
      stored = { subject: stored.subject.replaceAll(secret, maskSecret(secret)), bodyText: stored.bodyText.replaceAll(secret, maskSecret(secret)) };
    }
    sealedMessage = encrypt(JSON.stringify({ subject, text: bodyText } satisfies SealedMessage), ctx.config.encryptionKey);
  }
  // On the paid-IPN path, inside the order's lock: prepared once (src/db/prepared.ts).
  const [row] = await preparedFor(tx, 'email_insert', insertEmail).execute({
    toAddress: to,
    subject: stored.subject,
    bodyText: stored.bodyText,
    sealedMessage,
    dedupeKey,
  });
  if (!row) return null;
  if (enqueue) await ctx.jobs.send('send-email', { emailId: row.id }, { tx });
  return row.id;
}

/** The row's values, or placeholders for them. */
export type EmailRowOptions = Record<'id' | 'to' | 'subject' | 'bodyText' | 'dedupeKey', unknown>;

/**
 * queueEmail as a part of the caller's statement, for messages with no secret in them: a row for
 * each row of `from` (a CTE of the caller's) where `onlyIf` holds and the dedupe key is new. The
 * caller makes the ids (newEmailId), so it can name them in delivery jobs of the same statement
 * (send-email skips an id never written).
 */
export function emailRowsFor(from: SQL, { id, to, subject, bodyText, dedupeKey }: EmailRowOptions, onlyIf: SQL): SQL {
  return sql`insert into ${emails} (id, to_address, subject, body_text, dedupe_key)
    select ${id}::uuid, ${to}::text, ${subject}::text, ${bodyText}::text, ${dedupeKey}::text from ${from} where ${onlyIf}
    on conflict (dedupe_key) do nothing`;
}

export function newEmailId(): string {
  return randomUUID();
}

/** The job that delivers a queued email. */
export function emailDeliveryJob(emailId: string): JobRequest {
  return { name: 'send-email', data: { emailId } };
}

function insertEmail(db: DbOrTx) {
  return db
    .insert(emails)
    .values({
      toAddress: sql.placeholder('toAddress'),
      subject: sql.placeholder('subject'),
      bodyText: sql.placeholder('bodyText'),
      sealedMessage: sql.placeholder('sealedMessage'),
      dedupeKey: sql.placeholder('dedupeKey'),
    })
    .onConflictDoNothing({ target: emails.dedupeKey })
    .returning({ id: emails.id })
    .prepare('email_insert');
}

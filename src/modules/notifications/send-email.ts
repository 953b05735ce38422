import { and, eq, sql } from 'drizzle-orm';
import { emails } from '../../db/schema.js';
import { sendMail } from '../../integrations/smtp/send-mail.js';
import { decrypt } from '../../lib/crypto.js';
import type { AppContext } from '../../platform/app-context.js';
import type { SealedMessage } from '../../platform/notifications/queue-email.js';

export type SendEmailOptions = { ctx: AppContext; emailId: string };

/**
 * Delivers one queued email through SMTP_URL, or files it in the outbox (shown to admins)
 * when no SMTP server is configured. Only a 'queued' email is ever sent, so a retried
 * job after success does nothing; the stable Message-ID lets a mail server drop the
 * duplicate of the one unavoidable case (crash between the server's OK and our update).
 *
 * An email carrying a secret is sent from its sealed copy, which is dropped in the same
 * update that marks it sent or filed: from then on only the masked text exists. An outbox
 * email is never sent later, so keeping the secret would serve nobody but a database thief
 * (an admin hands over a fresh code by rotating it).
 */
export async function sendEmail({ ctx, emailId }: SendEmailOptions): Promise<'sent' | 'outbox' | 'skipped'> {
  const [email] = await ctx.db.select().from(emails).where(eq(emails.id, emailId));
  if (email?.status !== 'queued') return 'skipped';

  if (!ctx.config.smtpUrl) {
    await ctx.db
      .update(emails)
      .set({ status: 'outbox', error: null, sealedMessage: null })
      .where(and(eq(emails.id, emailId), eq(emails.status, 'queued')));
    return 'outbox';
  }

  try {
    const message = email.sealedMessage ? unseal(email.sealedMessage, ctx.config.encryptionKey) : { subject: email.subject, text: email.bodyText };
    await sendMail(ctx.config.smtpUrl, {
      from: ctx.config.mailFrom,
      to: email.toAddress,
      subject: message.subject,
      text: message.text,
      messageId: `<${email.id}@hqadz>`,
    });
  } catch (err) {
    await ctx.db
      .update(emails)
      .set({ error: err instanceof Error ? err.message.slice(0, 500) : String(err) })
      .where(eq(emails.id, emailId));
    throw err;
  }
  await ctx.db
    .update(emails)
    .set({ status: 'sent', sentAt: sql`now()`, error: null, sealedMessage: null })
    .where(and(eq(emails.id, emailId), eq(emails.status, 'queued')));
  return 'sent';
}

/** `plain:` marks an email queued before sealing existed (migration 0003), sent once more as written. */
const LEGACY_PREFIX = 'plain:';

function unseal(sealed: string, key: Buffer): SealedMessage {
  let message: SealedMessage;
  try {
    message = JSON.parse(sealed.startsWith(LEGACY_PREFIX) ? sealed.slice(LEGACY_PREFIX.length) : decrypt(sealed, key)) as SealedMessage;
    if (typeof message.subject !== 'string' || typeof message.text !== 'string') throw new Error('not a message');
  } catch {
    // Never send the masked text instead: the customer would get a code that does not work.
    throw new Error('The sealed message cannot be opened (was ENCRYPTION_KEY changed?); not sent');
  }
  return message;
}

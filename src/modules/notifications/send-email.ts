import { and, eq, sql } from 'drizzle-orm';
import nodemailer from 'nodemailer';
import type { AppContext } from '../../context.js';
import { emails } from '../../db/schema.js';

export type SendEmailOptions = { ctx: AppContext; emailId: string };

/**
 * Delivers one queued email through SMTP_URL, or files it in the outbox (shown to admins)
 * when no SMTP server is configured. Only a 'queued' email is ever sent, so a retried
 * job after success does nothing; the stable Message-ID lets a mail server drop the
 * duplicate of the one unavoidable case (crash between the server's OK and our update).
 */
export async function sendEmail({ ctx, emailId }: SendEmailOptions): Promise<'sent' | 'outbox' | 'skipped'> {
  const [email] = await ctx.db.select().from(emails).where(eq(emails.id, emailId));
  if (email?.status !== 'queued') return 'skipped';

  if (!ctx.config.smtpUrl) {
    await ctx.db
      .update(emails)
      .set({ status: 'outbox', error: null })
      .where(and(eq(emails.id, emailId), eq(emails.status, 'queued')));
    return 'outbox';
  }

  const transport = nodemailer.createTransport(ctx.config.smtpUrl);
  try {
    await transport.sendMail({
      from: ctx.config.mailFrom,
      to: email.toAddress,
      subject: email.subject,
      text: email.bodyText,
      messageId: `<${email.id}@hqadz>`,
    });
  } catch (err) {
    await ctx.db
      .update(emails)
      .set({ error: err instanceof Error ? err.message.slice(0, 500) : String(err) })
      .where(eq(emails.id, emailId));
    throw err;
  } finally {
    transport.close();
  }
  await ctx.db
    .update(emails)
    .set({ status: 'sent', sentAt: sql`now()`, error: null })
    .where(and(eq(emails.id, emailId), eq(emails.status, 'queued')));
  return 'sent';
}

import { desc, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { emails } from '../../db/schema.js';

export const emailStatuses = emails.status.enumValues;

export type AdminEmail = {
  id: string;
  to: string;
  subject: string;
  body: string;
  status: (typeof emailStatuses)[number];
  error: string | null;
  createdAt: Date;
  sentAt: Date | null;
};

export type ListEmailsOptions = { db: DbOrTx; status?: (typeof emailStatuses)[number]; limit: number; offset: number };

/**
 * Sent and unsent emails, newest first, as stored: access codes and license keys masked
 * (src/platform/notifications/queue-email.ts). The sealed full message is never read here; an admin who must hand a
 * customer a code rotates it instead.
 */
export async function listEmails({ db, status, limit, offset }: ListEmailsOptions): Promise<{ emails: AdminEmail[]; total: number }> {
  const where = status ? eq(emails.status, status) : undefined;
  const [rows, [count]] = await Promise.all([
    db
      .select({
        id: emails.id,
        to: emails.toAddress,
        subject: emails.subject,
        body: emails.bodyText,
        status: emails.status,
        error: emails.error,
        createdAt: emails.createdAt,
        sentAt: emails.sentAt,
      })
      .from(emails)
      .where(where)
      .orderBy(desc(emails.createdAt), desc(emails.id))
      .limit(limit)
      .offset(offset),
    db.select({ n: sql<number>`count(*)::int` }).from(emails).where(where),
  ]);
  return { emails: rows, total: Number(count?.n ?? 0) };
}

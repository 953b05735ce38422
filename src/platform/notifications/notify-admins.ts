import { eq } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { users } from '../../db/schema.js';
import { notifyUser } from './notify-user.js';

export type NotifyAdminsOptions = {
  db: DbOrTx;
  kind: string;
  title: string;
  body: string;
  dedupeKey: string;
};

/** The same in-app notification for every admin (stuck orders, stock alerts). */
export async function notifyAdmins({ db, kind, title, body, dedupeKey }: NotifyAdminsOptions): Promise<number> {
  const admins = await db.select({ id: users.id }).from(users).where(eq(users.role, 'admin'));
  for (const admin of admins) await notifyUser({ db, userId: admin.id, kind, title, body, dedupeKey });
  return admins.length;
}

import { and, eq } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { users } from '../../db/schema.js';
import { AppError } from '../../lib/errors.js';

export type FindCustomerOptions = { tx: Tx; userId: string };

/** Locks a customer row for an admin action; admins and resellers are not customers here. */
export async function findCustomerForUpdate({ tx, userId }: FindCustomerOptions) {
  const [user] = await tx
    .select()
    .from(users)
    .where(and(eq(users.id, userId), eq(users.role, 'customer')))
    .for('update');
  if (!user) throw new AppError('not_found', 'No such customer');
  return user;
}

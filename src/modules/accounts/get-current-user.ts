import { eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { users } from '../../db/schema.js';
import { AppError } from '../../lib/errors.js';
import type { Role } from './tokens.js';

export type CurrentUser = {
  id: string;
  role: Role;
  email: string | null;
  accessCodeIssuedAt: Date | null;
  sessionVersion: number;
  checkoutSessionVersion: number;
};

export type GetCurrentUserOptions = { db: DbOrTx; userId: string };

/**
 * The columns a session check reads, for queries that fetch the user together with what
 * the request asked for (one round trip: see getBotViewWithUser).
 */
export const currentUserColumns = {
  id: users.id,
  role: users.role,
  email: users.email,
  banned: users.banned,
  accessCodeIssuedAt: users.accessCodeIssuedAt,
  sessionVersion: users.sessionVersion,
  checkoutSessionVersion: users.checkoutSessionVersion,
};

/** A row of currentUserColumns; null columns when a left join found no user. */
export type CurrentUserRow = {
  id: string | null;
  role: Role | null;
  email: string | null;
  banned: boolean | null;
  accessCodeIssuedAt: Date | null;
  sessionVersion: number | null;
  checkoutSessionVersion: number | null;
};

/** The stored user, or the error a session of a deleted or banned user gets. */
export function toCurrentUser(row: CurrentUserRow | undefined): CurrentUser {
  if (!row?.id || !row.role) throw new AppError('unauthorized', 'Log in to continue');
  if (row.banned) throw new AppError('forbidden', 'This account has been suspended');
  return {
    id: row.id,
    role: row.role,
    email: row.email,
    accessCodeIssuedAt: row.accessCodeIssuedAt,
    sessionVersion: row.sessionVersion ?? 0,
    checkoutSessionVersion: row.checkoutSessionVersion ?? 0,
  };
}

const userQuery = (db: DbOrTx) =>
  db
    .select(currentUserColumns)
    .from(users)
    .where(eq(users.id, sql.placeholder('userId')))
    .limit(1);

// Every authenticated request runs this: built once per database handle, so Drizzle does
// not assemble the same SQL again on each request (a tenth of the request's CPU, issue 12).
const prepared = new WeakMap<object, ReturnType<ReturnType<typeof userQuery>['prepare']>>();

/** The logged-in user as stored now: a session outlives neither deletion nor a ban. */
export async function getCurrentUser({ db, userId }: GetCurrentUserOptions): Promise<CurrentUser> {
  let q = prepared.get(db);
  if (!q) {
    q = userQuery(db).prepare('get_current_user');
    prepared.set(db, q);
  }
  const [row] = await q.execute({ userId });
  return toCurrentUser(row);
}

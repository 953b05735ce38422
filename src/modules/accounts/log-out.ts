import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { users } from '../../db/schema.js';
import type { Session } from './tokens.js';

export type LogOutOptions = { db: Db; session: Session };

/**
 * Ends the session on the server, not only in this browser: the user's session version moves
 * on, so this token (and any other issued before now) is refused from the next request on.
 * Conditional on the token's version, so a replayed logout of an old token does nothing.
 */
export async function logOut({ db, session }: LogOutOptions): Promise<void> {
  await db
    .update(users)
    .set({ sessionVersion: sql`${users.sessionVersion} + 1`, updatedAt: new Date() })
    .where(and(eq(users.id, session.id), eq(users.sessionVersion, session.sessionVersion)));
}

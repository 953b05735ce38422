import { eq, sql } from 'drizzle-orm';
import { users } from '../../db/schema.js';
import { randomCode } from '../../lib/crypto.js';
import type { AppContext } from '../../platform/app-context.js';
import { logActivity } from '../../platform/log-activity.js';
import { hashAccessCode } from './issue-access-code.js';

// Serialises first-admin creation across processes starting together on one server.
const FIRST_ADMIN_LOCK = 4242_0002;

export type EnsureFirstAdminOptions = { ctx: AppContext };

export type EnsureFirstAdminResult =
  | { created: false }
  | { created: true; userId: string; source: 'env' }
  | { created: true; userId: string; source: 'generated'; accessCode: string };

/**
 * Creates the first admin when there is none: with ADMIN_ACCESS_CODE, or with a generated
 * code returned to the caller (the only copy; only its hash is stored).
 */
export async function ensureFirstAdmin({ ctx }: EnsureFirstAdminOptions): Promise<EnsureFirstAdminResult> {
  return ctx.db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${FIRST_ADMIN_LOCK})`);
    const [existing] = await tx.select({ id: users.id }).from(users).where(eq(users.role, 'admin')).limit(1);
    if (existing) return { created: false };
    const configured = ctx.config.adminAccessCode;
    const accessCode = configured ?? randomCode('HQ');
    const [admin] = await tx
      .insert(users)
      .values({ role: 'admin', accessCodeHash: hashAccessCode(accessCode), accessCodeIssuedAt: new Date() })
      .returning({ id: users.id });
    await logActivity({
      db: tx,
      actorRole: 'system',
      action: 'admin.created',
      subjectType: 'user',
      subjectId: admin!.id,
      details: { source: configured ? 'ADMIN_ACCESS_CODE' : 'generated' },
    });
    return configured ? { created: true, userId: admin!.id, source: 'env' } : { created: true, userId: admin!.id, source: 'generated', accessCode };
  });
}

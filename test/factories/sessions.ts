// Sessions for tests: signed the way log-in signs them, or through the log-in route itself.
import { eq } from 'drizzle-orm';
import { users } from '../../src/db/schema.js';
import { createAdmin } from '../../src/modules/accounts/create-admin.js';
import { signSessionToken } from '../../src/modules/accounts/tokens.js';
import type { AppContext } from '../../src/platform/app-context.js';
import type { TestApp } from '../helpers/test-app.js';
import { freshIp } from './ids.js';

export type Auth = Record<string, string>;

export async function tokenFor(ctx: AppContext, userId: string, role: 'customer' | 'reseller' | 'admin' = 'customer'): Promise<string> {
  return signSessionToken({ id: userId, role }, ctx.config.jwtSecret);
}

export function bearer(token: string): Auth {
  return { authorization: `Bearer ${token}` };
}

/** A session of an admin: the first one start-up made, or a new one made by the create-admin use case. */
export async function adminToken(ctx: AppContext): Promise<string> {
  const [admin] = await ctx.db.select({ id: users.id }).from(users).where(eq(users.role, 'admin')).limit(1);
  const id = admin?.id ?? (await createAdmin({ db: ctx.db, email: `admin.${Date.now().toString(36)}@example.com` })).userId;
  return tokenFor(ctx, id, 'admin');
}

/** Logs in through POST /api/auth/login from a fresh address; fails the test on anything but 200. */
export async function logIn(t: TestApp, accessCode: string): Promise<{ role: string; token: string; auth: Auth }> {
  const res = await t.api('POST', '/api/auth/login', { accessCode }, { 'x-forwarded-for': freshIp() });
  if (res.status !== 200) throw new Error(`factory: log-in answered ${res.status} ${JSON.stringify(res.body)}`);
  return { role: res.body.role, token: res.body.token, auth: bearer(res.body.token) };
}

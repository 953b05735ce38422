// Resellers made by an admin through the admin API, signed in with the code it returns.
import type { TestApp } from '../helpers/test-app.js';
import { freshEmail } from './ids.js';
import { type Auth, logIn } from './sessions.js';

export type Reseller = { reseller: any; accessCode: string; auth: Auth };

export async function reseller(t: TestApp, admin: Auth, body: Record<string, unknown> = {}): Promise<Reseller> {
  const res = await t.api('POST', '/api/admin/resellers', { email: freshEmail('reseller'), commissionPercent: 10, ...body }, admin);
  if (res.status !== 201) throw new Error(`factory: creating a reseller answered ${res.status} ${JSON.stringify(res.body)}`);
  const session = await logIn(t, res.body.accessCode);
  return { reseller: res.body.reseller, accessCode: res.body.accessCode, auth: session.auth };
}

import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { getCurrentUser } from '../../modules/accounts/get-current-user.js';
import { logIn } from '../../modules/accounts/log-in.js';
import { logOut } from '../../modules/accounts/log-out.js';
import { createLoginThrottle } from '../../modules/accounts/login-throttle.js';
import { redeemRecoveryToken } from '../../modules/accounts/redeem-recovery-token.js';
import { requestAccountRecovery } from '../../modules/accounts/request-account-recovery.js';
import type { AppContext } from '../../platform/app-context.js';
import { readSession, requireRole } from '../auth.js';
import { clearSessionCookie, setSessionCookie } from '../session-cookie.js';

const recoverBody = z.object({
  email: z
    .string()
    .trim()
    .max(254)
    .pipe(z.email({ error: 'enter a valid email address' })),
});
const redeemRecoveryBody = z.object({ token: z.string().trim().min(1, 'token is required').max(200) });
// Per client address; the per-email limit is counted inside the use case.
const recoverLimit = { config: { rateLimit: { max: 5, timeWindow: '15 minutes' } } };

const loginBody = z.object({ accessCode: z.string().trim().min(1, 'Enter your access code').max(200) });

export async function accountsRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const throttle = createLoginThrottle({ db: ctx.db, maxFailures: ctx.config.rateLimits.loginFailures });

  app.post('/api/auth/login', async (req, reply) => {
    const { accessCode } = loginBody.parse(req.body ?? {});
    const { token, user } = await logIn({ ctx, accessCode, throttle, clientKey: req.ip });
    setSessionCookie(ctx, reply, token);
    return { token, role: user.role };
  });

  app.post('/api/auth/logout', async (req, reply) => {
    const session = await readSession(ctx, req);
    if (session) await logOut({ db: ctx.db, session });
    clearSessionCookie(reply);
    return { ok: true };
  });

  // Always 202, whether or not the address has an account: the answer must not tell.
  app.post('/api/auth/recover', recoverLimit, async (req, reply) => {
    const { email } = recoverBody.parse(req.body ?? {});
    await requestAccountRecovery({ ctx, email });
    return reply.status(202).send({ ok: true, message: 'If that address has an HQAdz account, a link is on its way.' });
  });

  app.post('/api/auth/recover/redeem', recoverLimit, async (req, reply) => {
    const { token } = redeemRecoveryBody.parse(req.body ?? {});
    const result = await redeemRecoveryToken({ ctx, token });
    setSessionCookie(ctx, reply, result.token);
    return { token: result.token, accessCode: result.accessCode, role: result.role };
  });

  app.get('/api/auth/me', { onRequest: requireRole(ctx, 'customer', 'reseller', 'admin') }, async (req) => {
    const user = await getCurrentUser({ db: ctx.db, userId: req.user!.id });
    return { id: user.id, role: user.role, email: user.email };
  });
}

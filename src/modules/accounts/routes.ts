import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { readSession, requireRole } from '../../http/auth.js';
import { getCurrentUser } from './get-current-user.js';
import { logIn } from './log-in.js';
import { logOut } from './log-out.js';
import { createLoginThrottle } from './login-throttle.js';
import { clearSessionCookie, setSessionCookie } from './session-cookie.js';

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

  app.get('/api/auth/me', { preHandler: requireRole(ctx, 'customer', 'reseller', 'admin') }, async (req) => {
    const user = await getCurrentUser({ db: ctx.db, userId: req.user!.id });
    return { id: user.id, role: user.role, email: user.email };
  });
}

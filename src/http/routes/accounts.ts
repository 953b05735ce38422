import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { getCurrentUser } from '../../modules/accounts/get-current-user.js';
import { logIn } from '../../modules/accounts/log-in.js';
import { logOut } from '../../modules/accounts/log-out.js';
import { createLoginThrottle } from '../../modules/accounts/login-throttle.js';
import { redeemRecoveryToken } from '../../modules/accounts/redeem-recovery-token.js';
import { requestAccountRecovery } from '../../modules/accounts/request-account-recovery.js';
import type { AppContext } from '../../platform/app-context.js';
import {
  loginBodySchema,
  logoutResponseSchema,
  meSchema,
  recoverAcceptedSchema,
  recoverBodySchema,
  recoveredSchema,
  redeemRecoveryBodySchema,
  sessionSchema,
} from '../../shared/api/accounts.js';
import { readSession, requireRole } from '../auth.js';
import { authedErrors, errorResponses, orEmpty, sessionSecurity } from '../route-docs.js';
import { clearSessionCookie, setSessionCookie } from '../session-cookie.js';

// Per client address; the per-email limit is counted inside the use case.
const recoverLimit = { rateLimit: { max: 5, timeWindow: '15 minutes' } };

export async function accountsRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const docs = { tags: ['accounts'] };
  const throttle = createLoginThrottle({ db: ctx.db, maxFailures: ctx.config.rateLimits.loginFailures });

  r.post(
    '/api/auth/login',
    {
      schema: {
        ...docs,
        summary: 'Log in with an access code',
        description: 'Sets the HttpOnly session cookie and returns the same token for `Authorization: Bearer`. 429 after repeated failures.',
        body: orEmpty(loginBodySchema),
        response: { 200: sessionSchema, ...errorResponses(400, 401, 403, 429, 500, 503) },
      },
    },
    async (req, reply) => {
      const { token, user } = await logIn({ ctx, accessCode: req.body.accessCode, throttle, clientKey: req.ip });
      setSessionCookie(ctx, reply, token);
      return { token, role: user.role };
    },
  );

  r.post(
    '/api/auth/logout',
    {
      schema: {
        ...docs,
        summary: 'End the session on the server',
        description: 'Every token issued before it stops working. Answers 200 with or without a session.',
        security: [{}, ...sessionSecurity],
        response: { 200: logoutResponseSchema, ...errorResponses(500, 503) },
      },
    },
    async (req, reply) => {
      const session = await readSession(ctx, req);
      if (session) await logOut({ db: ctx.db, session });
      clearSessionCookie(reply);
      return { ok: true as const };
    },
  );

  // Always 202, whether or not the address has an account: the answer must not tell.
  r.post(
    '/api/auth/recover',
    {
      config: recoverLimit,
      schema: {
        ...docs,
        summary: 'Email a one-time recovery link',
        description: 'Always 202, whether or not the address has an account.',
        body: orEmpty(recoverBodySchema),
        response: { 202: recoverAcceptedSchema, ...errorResponses(400, 429, 500, 503) },
      },
    },
    async (req, reply) => {
      await requestAccountRecovery({ ctx, email: req.body.email });
      return reply.status(202).send({ ok: true, message: 'If that address has an HQAdz account, a link is on its way.' });
    },
  );

  r.post(
    '/api/auth/recover/redeem',
    {
      config: recoverLimit,
      schema: {
        ...docs,
        summary: "Redeem a recovery link's token for a new access code",
        description: 'Once: the old code and every earlier session stop working.',
        body: orEmpty(redeemRecoveryBodySchema),
        response: { 200: recoveredSchema, ...errorResponses(400, 401, 403, 410, 429, 500, 503) },
      },
    },
    async (req, reply) => {
      const result = await redeemRecoveryToken({ ctx, token: req.body.token });
      setSessionCookie(ctx, reply, result.token);
      return { token: result.token, accessCode: result.accessCode, role: result.role };
    },
  );

  r.get(
    '/api/auth/me',
    {
      onRequest: requireRole(ctx, 'customer', 'reseller', 'admin'),
      schema: { ...docs, summary: 'Who the session belongs to', security: sessionSecurity, response: { 200: meSchema, ...authedErrors } },
    },
    async (req) => {
      const user = await getCurrentUser({ db: ctx.db, userId: req.user!.id });
      return { id: user.id, role: user.role, email: user.email };
    },
  );
}

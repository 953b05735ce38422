// The session cookie, set the same way by every route that logs someone in
// (access-code login, the checkout secret) and cleared by logout.
import type { FastifyReply } from 'fastify';
import { SESSION_COOKIE, SESSION_TTL_SECONDS } from '../modules/accounts/tokens.js';
import type { AppContext } from '../platform/app-context.js';

export function setSessionCookie(ctx: AppContext, reply: FastifyReply, token: string): void {
  reply.setCookie(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'lax',
    // Only over HTTPS installs: a plain-http localhost install must still be able to log in.
    secure: ctx.config.publicUrl.startsWith('https://'),
    path: '/',
    maxAge: SESSION_TTL_SECONDS,
  });
}

export function clearSessionCookie(reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, { path: '/' });
}

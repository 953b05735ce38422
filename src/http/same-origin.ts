// CSRF defence for cookie sessions. The session cookie is SameSite=Lax, but Lax still lets a
// foreign page's top-level form POST through on some browsers and a same-site sibling through on
// all of them; a `text/plain` POST also skips the CORS preflight. So a state-changing request
// that carries the session cookie must come from our own origin (PUBLIC_URL's).
//
// Not checked: requests without the cookie (Bearer clients, the NOWPayments webhook — nothing a
// foreign page can make a browser attach), and requests with neither Origin nor Referer (not a
// browser's cross-site request: browsers send Origin on every cross-origin POST).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../lib/errors.js';
import { SESSION_COOKIE } from '../modules/accounts/tokens.js';
import type { AppContext } from '../platform/app-context.js';

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The request's origin as the browser states it: Origin, else the origin of the Referer. */
function requestOrigin(req: FastifyRequest): string | null {
  const origin = req.headers.origin;
  if (typeof origin === 'string' && origin !== '') return origin;
  const referer = req.headers.referer;
  if (typeof referer !== 'string' || referer === '') return null;
  try {
    return new URL(referer).origin;
  } catch {
    return 'null';
  }
}

export function registerSameOriginCheck(app: FastifyInstance, ctx: AppContext): void {
  app.addHook('onRequest', async (req) => {
    if (!STATE_CHANGING.has(req.method)) return;
    if (!req.cookies?.[SESSION_COOKIE]) return;
    const origin = requestOrigin(req);
    if (origin === null) return;
    // Read per request: PUBLIC_URL is fixed in production, but tests learn their port late.
    if (origin === new URL(ctx.config.publicUrl).origin) return;
    throw new AppError('cross_origin', `This request came from another site (${origin}); it was refused`);
  });
}

// The Fastify app: JSON API under /api, the built React app for every other path.
import { existsSync } from 'node:fs';
import path from 'node:path';
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyReply } from 'fastify';
import type { AppContext } from '../context.js';
import { webDistDir } from '../lib/paths.js';
import { accountsRoutes } from '../modules/accounts/routes.js';
import { adbotsRoutes } from '../modules/adbots/routes.js';
import { adminRoutes } from '../modules/admin/routes.js';
import { catalogRoutes } from '../modules/catalog/routes.js';
import { checkoutRoutes } from '../modules/checkout/routes.js';
import { fulfilmentRoutes } from '../modules/fulfilment/routes.js';
import { paymentsRoutes } from '../modules/payments/routes.js';
import { resellersRoutes } from '../modules/resellers/routes.js';
import { stockRoutes } from '../modules/stock/routes.js';
import { registerErrorHandling } from './errors.js';
import { OpsLogController, opsRoutes, requestIdFor } from './ops-routes.js';
import { databaseRateLimitStore } from './rate-limit-store.js';

export async function buildApp(ctx: AppContext): Promise<FastifyInstance> {
  const app: FastifyInstance = Fastify({
    loggerInstance: ctx.log as FastifyBaseLogger,
    bodyLimit: 256 * 1024,
    trustProxy: ctx.config.trustProxy,
    // Request ids and request logging are ops-routes.ts's: one line per request that matters.
    genReqId: requestIdFor,
    logController: new OpsLogController(),
    // Errors the router raises before any handler (a malformed URL, an over-long parameter)
    // get the same {"error": {code, message}} shape as every other 4xx.
    frameworkErrors: (err, _req, reply) => {
      const status = err.statusCode ?? 400;
      if (status >= 500) {
        void (reply as FastifyReply).status(500).send({ error: { code: 'internal', message: 'Something went wrong on our side' } });
        return;
      }
      void (reply as FastifyReply).status(status).send({ error: { code: 'bad_request', message: err.message } });
    },
  });
  registerErrorHandling(app);
  await opsRoutes(app, ctx);
  await app.register(cookie);
  // Opt-in per route (`config.rateLimit`): checkout and login carry their own limits, counted
  // in the database so that several API processes share one limit.
  await app.register(rateLimit, { global: false, store: databaseRateLimitStore({ db: ctx.db, inMemoryRoutes: ['/api/payment/webhook'] }) });

  app.get('/api/health', async () => ({ ok: true, database: ctx.database.kind }));
  // What the web app needs to know about this install (test-mode banner and controls).
  app.get('/api/meta', async () => ({ testMode: ctx.config.testMode }));
  await catalogRoutes(app, ctx);
  await checkoutRoutes(app, ctx);
  await paymentsRoutes(app, ctx);
  await accountsRoutes(app, ctx);
  await stockRoutes(app, ctx);
  await adbotsRoutes(app, ctx);
  await fulfilmentRoutes(app, ctx);
  await adminRoutes(app, ctx);
  await resellersRoutes(app, ctx);

  if (existsSync(path.join(webDistDir, 'index.html'))) {
    await app.register(fastifyStatic, { root: webDistDir, wildcard: false });
    // Client-side routes (/checkout, /dashboard, ...) all load the SPA.
    app.get('/*', (req, reply) => {
      if (req.url.startsWith('/api/')) {
        return reply.status(404).send({ error: { code: 'not_found', message: `No route ${req.method} ${req.url}` } });
      }
      return reply.type('text/html').sendFile('index.html');
    });
  }
  return app;
}

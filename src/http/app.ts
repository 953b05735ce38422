// The Fastify app: JSON API under /api, the built React app for every other path.
import { createRequire } from 'node:module';
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyReply } from 'fastify';
import { jsonSchemaTransform, jsonSchemaTransformObject, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../platform/app-context.js';
import { healthSchema, metaSchema } from '../shared/api/meta.js';
import { registerErrorHandling } from './errors.js';
import { OpsLogController, opsRoutes, requestIdFor } from './ops-routes.js';
import { databaseRateLimitStore } from './rate-limit-store.js';
import { errorResponses } from './route-docs.js';
import { accountsRoutes } from './routes/accounts.js';
import { adbotsRoutes } from './routes/adbots.js';
import { adminRoutes } from './routes/admin.js';
import { catalogRoutes } from './routes/catalog.js';
import { checkoutRoutes } from './routes/checkout.js';
import { customerOrdersRoutes } from './routes/customer-orders.js';
import { fulfilmentRoutes } from './routes/fulfilment.js';
import { paymentsRoutes } from './routes/payments.js';
import { resellersRoutes } from './routes/resellers.js';
import { stockRoutes } from './routes/stock.js';
import { telegramUpdatesRoutes } from './routes/telegram-updates.js';
import { registerSameOriginCheck } from './same-origin.js';
import { registerStaticAssets } from './static-assets.js';

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
  // One contract: each route's zod schemas validate its input, serialise its output and are
  // its OpenAPI documentation (GET /api/openapi.json, /api/docs).
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandling(app);
  // First: the document collects each route as it is registered, ops-routes.ts's too.
  await collectApiDocs(app);
  registerSecurityHeaders(app, securityHeaders(ctx.config.publicUrl.startsWith('https://')));
  await opsRoutes(app, ctx);
  await app.register(cookie);
  registerSameOriginCheck(app, ctx);
  // Opt-in per route (`config.rateLimit`): checkout and login carry their own limits, counted
  // in the database so that several API processes share one limit.
  await app.register(rateLimit, { global: false, store: databaseRateLimitStore({ db: ctx.db, inMemoryRoutes: ['/api/payment/webhook'] }) });

  await registerApiDocs(app);

  const typed = app.withTypeProvider<ZodTypeProvider>();
  typed.get(
    '/api/health',
    { schema: { tags: ['meta'], summary: 'Liveness: the API answers', response: { 200: healthSchema, ...errorResponses(500) } } },
    async () => ({
      ok: true as const,
      database: ctx.database.kind,
    }),
  );
  // What the web app needs to know about this install (test-mode banner and controls).
  typed.get(
    '/api/meta',
    { schema: { tags: ['meta'], summary: 'What the web app needs to know about this install', response: { 200: metaSchema, ...errorResponses(500) } } },
    async () => ({ testMode: ctx.config.testMode }),
  );
  await catalogRoutes(app, ctx);
  await checkoutRoutes(app, ctx);
  await paymentsRoutes(app, ctx);
  await accountsRoutes(app, ctx);
  await stockRoutes(app, ctx);
  await adbotsRoutes(app, ctx);
  await customerOrdersRoutes(app, ctx);
  await fulfilmentRoutes(app, ctx);
  await adminRoutes(app, ctx);
  await resellersRoutes(app, ctx);
  await telegramUpdatesRoutes(app, ctx);

  await registerStaticAssets(app, ctx);
  return app;
}

const SWAGGER_UI_STYLE_HASH = 'sha256-RL3ie0nH+Lzz2YNqQN83mnU0J1ot4QL7b99vMdIX99w=';

/** OpenAPI 3.1 from every route's schemas: registered before any route, so that it sees them all. */
async function collectApiDocs(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'HQAdz API',
        version: '1',
        description: 'Every non-2xx answer is `{"error": {"code", "message"}}`; clients switch on `code`.',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'hqadz_session', description: 'The HttpOnly session cookie set by the login routes.' },
          bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'The same session token, for scripts.' },
          checkoutSecret: { type: 'apiKey', in: 'header', name: 'X-Checkout-Secret' },
          metricsToken: { type: 'http', scheme: 'bearer', description: 'METRICS_TOKEN, for /metrics.' },
        },
      },
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
}

/** The document served as JSON and as a reference page. */
async function registerApiDocs(app: FastifyInstance): Promise<void> {
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  // The page's scripts are files (no inline script), so the app's CSP stands; Swagger UI adds
  // one fixed <style> element at run time, allowed by its hash on these pages only
  // (test/e2e/api-docs.e2e.ts reports the new hash if an upgrade changes it).
  await app.register(swaggerUi, {
    routePrefix: '/api/docs',
    staticCSP: false,
    transformStaticCSP: (header) => header.replace("style-src 'self'", `style-src 'self' '${SWAGGER_UI_STYLE_HASH}'`),
    uiConfig: { validatorUrl: null },
  });
}

/**
 * helmet's headers, worked out once: @fastify/helmet rebuilds its middleware (parsing the
 * CSP directives again) in two hooks on every request, a sizeable share of a cached read's
 * CPU (issue 12). The headers depend only on the options, so the result is the same; they
 * are set on the raw response first thing, as @fastify/helmet did, so that a route may
 * still change one (Swagger UI widens style-src for its pages).
 */
function registerSecurityHeaders(app: FastifyInstance, options: ReturnType<typeof securityHeaders>): void {
  // The helmet that @fastify/helmet itself uses, resolved from there.
  const helmet = createRequire(createRequire(import.meta.url).resolve('@fastify/helmet'))('helmet') as (
    o: object,
  ) => (req: unknown, res: unknown, next: (err?: unknown) => void) => void;
  const headers: [string, string][] = [];
  const capture = {
    setHeader: (name: string, value: unknown) => headers.push([name, String(value)]),
    removeHeader: () => {},
  };
  helmet(options)({}, capture, (err) => {
    if (err) throw err;
  });
  if (!headers.some(([name]) => name.toLowerCase() === 'content-security-policy')) throw new Error('helmet set no CSP');
  app.addHook('onRequest', (_req, reply, done) => {
    for (const [name, value] of headers) reply.raw.setHeader(name, value);
    done();
  });
}

/**
 * CSP, framing, nosniff, Referrer-Policy and (on https) HSTS for every response. The CSP fits
 * the built SPA: its scripts and styles are files from this origin, the QR code is a data: image,
 * the API is same-origin. React's `style={...}` props are set through the DOM and need no
 * 'unsafe-inline'; `style-src-attr` is allowed all the same for any library that writes
 * `style="..."` markup, since style attributes cannot run script.
 */
function securityHeaders(https: boolean) {
  return {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        styleSrcAttr: ["'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        // On plain http (a localhost install) upgrading would send the page's own requests to https.
        ...(https ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    frameguard: { action: 'deny' as const },
    // Sends our origin on same-origin requests (the Origin check needs it; no-referrer makes a
    // browser send `Origin: null` on its own POSTs) and only the origin to other sites.
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' as const },
    hsts: https ? { maxAge: 365 * 24 * 3600, includeSubDomains: false } : false,
  };
}

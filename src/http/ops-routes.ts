// Operating the service: request ids, one log line per request that matters, HTTP metrics,
// GET /metrics (Prometheus) and GET /api/health/ready. Registered first in every app, so
// its hooks cover every route.
import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { type FastifyInstance, type FastifyReply, type FastifyRequest, LogController } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../lib/errors.js';
import { type LogFields, withLogContext } from '../lib/log-context.js';
import type { AppContext } from '../platform/app-context.js';
import { checkReadiness } from '../platform/check-readiness.js';
import { renderDbMetrics } from '../platform/db-metrics.js';
import { observeHttpRequest, processRegistry } from '../platform/metrics.js';
import { errorBodySchema } from '../shared/api/errors.js';

/** A request slower than this is logged even when it succeeded. */
export const SLOW_REQUEST_MS = 1000;

const CLIENT_REQUEST_ID = /^[\w.:@/+=-]{1,128}$/;

/** Fastify `genReqId`: the caller's `x-request-id` when it is a sane token, else a new UUID. */
export function requestIdFor(req: IncomingMessage): string {
  const header = req.headers['x-request-id'];
  return typeof header === 'string' && CLIENT_REQUEST_ID.test(header) ? header : randomUUID();
}

/**
 * Fastify's `logController`: no "incoming request" / "request completed" pair per request
 * (the onResponse hook below writes one line, only when it matters); stream errors stay.
 */
export class OpsLogController extends LogController {
  override incomingRequest(): void {}
  override requestCompleted(): void {}
}

// Route parameters that name an order, payment or adbot, bound to the request's log lines.
const idParams: Record<string, keyof LogFields> = {
  '/api/admin/orders/:id': 'orderId',
  '/api/admin/orders/:id/fulfil': 'orderId',
  '/api/admin/orders/:id/refund': 'orderId',
  '/api/admin/adbots/:id': 'adbotId',
};

function knownIds(req: FastifyRequest): LogFields {
  const fields: LogFields = {};
  const route = req.routeOptions.url;
  const id = (req.params as Record<string, unknown> | undefined)?.id;
  const field = route ? idParams[route] : undefined;
  if (field && typeof id === 'string' && id.length <= 100) fields[field] = id;
  const paymentId = (req.query as Record<string, unknown> | undefined)?.paymentId;
  if (route === '/api/payment/status' && typeof paymentId === 'string' && paymentId.length <= 100) fields.paymentId = paymentId;
  return fields;
}

function sameToken(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

const checkResultSchema = z.object({ ok: z.boolean(), error: z.string().optional() }).loose();
const readinessSchema = z
  .object({
    ok: z.boolean(),
    /** The parts that are not fine; only `database` when the database cannot be reached. */
    failed: z.array(z.enum(['database', 'migrations', 'worker'])),
    checks: z.object({ database: checkResultSchema, migrations: checkResultSchema, worker: checkResultSchema }),
  })
  .meta({ id: 'Readiness' });

// These routes bring their own compilers: the worker's ops server (ops-server.ts) is a bare
// Fastify whose default compilers know JSON Schema, not zod. (Typed `never`: Fastify types a
// route's compilers by that route's schema object, which the zod compilers' types do not name.)
const zodCompilers = { validatorCompiler: validatorCompiler as never, serializerCompiler: serializerCompiler as never };

export type OpsRoutesOptions = {
  /** Also serve GET /api/health (the worker's ops server; the app has its own). */
  liveness?: boolean;
};

export async function opsRoutes(app: FastifyInstance, ctx: AppContext, opts: OpsRoutesOptions = {}): Promise<void> {
  app.addHook('onRequest', (req, reply, done) => {
    reply.header('x-request-id', req.id);
    // Everything this request runs (use cases, the jobs it enqueues) logs with its id.
    withLogContext({ requestId: req.id, ...knownIds(req) }, done);
  });

  app.addHook('onResponse', (req: FastifyRequest, reply: FastifyReply, done) => {
    const ms = reply.elapsedTime;
    const status = reply.statusCode;
    const route = req.routeOptions.url ?? 'unmatched';
    observeHttpRequest(req.method, route, status, ms / 1000);
    // One line per request, at info only for what needs a look: the start-up banner with the
    // first admin code must not scroll away under page loads.
    const line = { method: req.method, path: req.url.split('?')[0], route, status, ms: Math.round(ms) };
    if (status >= 500) ctx.log.error(line, 'request failed');
    else if (status >= 400 || ms > SLOW_REQUEST_MS) ctx.log.info(line, ms > SLOW_REQUEST_MS ? 'slow request' : 'request refused');
    else if (ctx.config.logRequests === 'all') ctx.log.info(line, 'request');
    else ctx.log.debug(line, 'request');
    done();
  });

  if (opts.liveness) app.get('/api/health', async () => ({ ok: true, database: ctx.database.kind }));

  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/health/ready',
    {
      ...zodCompilers,
      schema: {
        tags: ['ops'],
        summary: 'Ready: the database answers, migrations are applied, a worker beat in the last minute',
        response: { 200: readinessSchema, 503: readinessSchema.describe('Not ready: `failed` names the part that is not') },
      },
    },
    async (_req, reply) => {
      const readiness = await checkReadiness({ ctx });
      return reply.status(readiness.ok ? 200 : 503).send(readiness);
    },
  );

  r.get(
    '/metrics',
    {
      ...zodCompilers,
      schema: {
        tags: ['ops'],
        summary: 'Prometheus metrics (text format)',
        // Open when METRICS_TOKEN is unset; else `Authorization: Bearer METRICS_TOKEN`.
        security: [{}, { metricsToken: [] }],
        response: {
          200: { description: 'Prometheus text exposition format', content: { 'text/plain': { schema: z.string() } } },
          401: errorBodySchema,
        },
      },
    },
    async (req, reply) => {
      const token = ctx.config.metricsToken;
      if (token) {
        const auth = req.headers.authorization ?? '';
        const given = auth.startsWith('Bearer ') ? auth.slice(7).trim() : '';
        if (!given || !sameToken(given, token)) throw new AppError('unauthorized', 'GET /metrics needs Authorization: Bearer METRICS_TOKEN');
      }
      const body = (await processRegistry.metrics()) + (await renderDbMetrics(ctx));
      return reply.type(processRegistry.contentType).send(body);
    },
  );
}

// A worker-only process has no app to scrape, yet it counts posts, engine lag and its own
// process metrics: it serves /metrics, /api/health and /api/health/ready on WORKER_METRICS_PORT.
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { AppContext } from '../platform/app-context.js';
import { registerErrorHandling } from './errors.js';
import { OpsLogController, opsRoutes, requestIdFor } from './ops-routes.js';

/** Undefined when the port is taken (several workers on one host): the worker still works, unscraped. */
export async function startOpsServer(ctx: AppContext): Promise<FastifyInstance | undefined> {
  const app: FastifyInstance = Fastify({ loggerInstance: ctx.log as FastifyBaseLogger, genReqId: requestIdFor, logController: new OpsLogController() });
  registerErrorHandling(app);
  await opsRoutes(app, ctx, { liveness: true });
  try {
    await app.listen({ port: ctx.config.workerMetricsPort, host: ctx.config.host });
  } catch (err) {
    if ((err as { code?: string }).code !== 'EADDRINUSE') throw err;
    ctx.log.warn({ port: ctx.config.workerMetricsPort }, 'worker metrics not served: WORKER_METRICS_PORT is in use (give each worker on this host its own)');
    await app.close();
    return undefined;
  }
  return app;
}

// A worker-only process has no app to scrape, yet it counts posts, engine lag and its own
// process metrics: it serves /metrics, /api/health and /api/health/ready on PORT.
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { AppContext } from '../context.js';
import { registerErrorHandling } from './errors.js';
import { OpsLogController, opsRoutes, requestIdFor } from './ops-routes.js';

/** Undefined when PORT is taken (workers sharing a host with the API): the worker still works, unscraped. */
export async function startOpsServer(ctx: AppContext): Promise<FastifyInstance | undefined> {
  const app: FastifyInstance = Fastify({ loggerInstance: ctx.log as FastifyBaseLogger, genReqId: requestIdFor, logController: new OpsLogController() });
  registerErrorHandling(app);
  await opsRoutes(app, ctx, { liveness: true });
  try {
    await app.listen({ port: ctx.config.port, host: ctx.config.host });
  } catch (err) {
    if ((err as { code?: string }).code !== 'EADDRINUSE') throw err;
    ctx.log.warn({ port: ctx.config.port }, 'worker metrics not served: PORT is in use (give each worker process its own PORT)');
    await app.close();
    return undefined;
  }
  return app;
}

import type { FastifyInstance } from 'fastify';
import { freshCoalescer } from '../../modules/catalog/fresh-coalescer.js';
import { listProducts } from '../../modules/catalog/list-products.js';
import type { AppContext } from '../../platform/app-context.js';

export async function catalogRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  // The busiest public read: requests arriving together share one database read, and the
  // body is serialised once per read rather than once per request.
  const productsJson = freshCoalescer(async () => JSON.stringify({ products: await listProducts({ db: ctx.db }) }));
  app.get('/api/products', async (_req, reply) => reply.type('application/json; charset=utf-8').send(await productsJson()));
}

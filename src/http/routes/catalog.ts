import type { FastifyInstance } from 'fastify';
import { ResponseSerializationError } from 'fastify-type-provider-zod';
import { catalogGeneration, PRODUCTS_MAX_STALE_MS } from '../../modules/catalog/catalog-generation.js';
import { freshCoalescer } from '../../modules/catalog/fresh-coalescer.js';
import { listProducts } from '../../modules/catalog/list-products.js';
import type { AppContext } from '../../platform/app-context.js';
import { productListSchema } from '../../shared/api/catalog.js';
import { errorResponses } from '../route-docs.js';

export async function catalogRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  // The busiest public read: requests within PRODUCTS_MAX_STALE_MS of a read share it (plan
  // edits made through this process start a new one at once), and the body is checked
  // against its schema and serialised once per read rather than once per request (Fastify
  // sends a JSON string as it is, without the route's serialiser).
  const productsJson = freshCoalescer(
    async () => {
      const checked = productListSchema.safeEncode({ products: await listProducts({ db: ctx.db }) });
      if (!checked.success) throw new ResponseSerializationError('GET', '/api/products', { cause: checked.error });
      return JSON.stringify(checked.data);
    },
    { maxStaleMs: PRODUCTS_MAX_STALE_MS, generation: catalogGeneration },
  );
  app.get(
    '/api/products',
    {
      schema: {
        tags: ['catalog'],
        summary: 'The plans on sale, with availability from unreserved stock',
        response: { 200: productListSchema, ...errorResponses(500, 503) },
      },
    },
    async (_req, reply) => reply.type('application/json; charset=utf-8').send(await productsJson()),
  );
}

import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.js';
import { listProducts } from './list-products.js';

export async function catalogRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app.get('/api/products', async () => ({ products: await listProducts({ db: ctx.db }) }));
}

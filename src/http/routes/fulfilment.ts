import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { AppError } from '../../lib/errors.js';
import { fulfilOrder } from '../../modules/fulfilment/fulfil-order.js';
import type { AppContext } from '../../platform/app-context.js';
import { logActivity } from '../../platform/log-activity.js';
import { fulfilResultSchema, orderIdParamsSchema } from '../../shared/api/fulfilment.js';
import { requireRole } from '../auth.js';
import { errorResponses, sessionSecurity } from '../route-docs.js';

export async function fulfilmentRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  // The admin's "re-run fulfilment": the same idempotent path the job runs, so it is always safe.
  app.withTypeProvider<ZodTypeProvider>().post(
    '/api/admin/orders/:id/fulfil',
    {
      onRequest: requireRole(ctx, 'admin'),
      schema: {
        tags: ['admin'],
        summary: 'Re-run fulfilment for an order (idempotent)',
        security: sessionSecurity,
        params: orderIdParamsSchema,
        response: { 200: fulfilResultSchema, ...errorResponses(400, 401, 403, 404, 500, 503) },
      },
    },
    async (req) => {
      const { id } = req.params;
      const result = await fulfilOrder({ ctx, orderId: id });
      if (result === 'not_found') throw new AppError('not_found', 'No order with that id');
      await logActivity({
        db: ctx.db,
        actorUserId: req.user!.id,
        actorRole: 'admin',
        action: 'order.fulfil_rerun',
        subjectType: 'order',
        subjectId: id,
        details: { result },
      });
      return { orderId: id, result };
    },
  );
}

import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { AppError } from '../../lib/errors.js';
import { fulfilOrder } from '../../modules/fulfilment/fulfil-order.js';
import type { AppContext } from '../../platform/app-context.js';
import { logActivity } from '../../platform/log-activity.js';
import { requireRole } from '../auth.js';

const orderParams = z.object({ id: z.uuid('must be an order id') });

export async function fulfilmentRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  // The admin's "re-run fulfilment": the same idempotent path the job runs, so it is always safe.
  app.post('/api/admin/orders/:id/fulfil', { onRequest: requireRole(ctx, 'admin') }, async (req) => {
    const { id } = orderParams.parse(req.params);
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
  });
}

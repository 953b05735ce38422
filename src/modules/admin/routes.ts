import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { requireRole } from '../../http/auth.js';
import { adminUpdateAdbot } from '../adbots/admin-update-adbot.js';

const adbotParams = z.object({ id: z.uuid('must be an adbot id') });
const patchAdbotBody = z
  .strictObject({
    expiresAt: z.iso.datetime({ offset: true, error: 'must be an ISO date-time, e.g. 2025-01-31T12:00:00Z' }).optional(),
    status: z.enum(['running', 'stopped', 'suspended']).optional(),
  })
  .refine((b) => b.expiresAt !== undefined || b.status !== undefined, { message: 'send expiresAt, status or both' });

export async function adminRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const admin = { preHandler: requireRole(ctx, 'admin') };

  app.patch('/api/admin/adbots/:id', admin, async (req) => {
    const { id } = adbotParams.parse(req.params);
    const body = patchAdbotBody.parse(req.body ?? {});
    const adbot = await adminUpdateAdbot({
      db: ctx.db,
      adminUserId: req.user!.id,
      adbotId: id,
      ...(body.expiresAt ? { expiresAt: new Date(body.expiresAt) } : {}),
      ...(body.status ? { status: body.status } : {}),
    });
    return { adbot };
  });
}

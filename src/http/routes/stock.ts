import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { sortParam } from '../../lib/sort.js';
import { addSenders } from '../../modules/stock/add-senders.js';
import { listSenders, senderSortFields, senderStates } from '../../modules/stock/list-senders.js';
import type { AppContext } from '../../platform/app-context.js';
import { requireRole } from '../auth.js';

const addBody = z.object({
  tokens: z.array(z.string().max(200, 'a token is at most 200 characters')).min(1, 'paste at least one token').max(500, 'at most 500 tokens at a time'),
});
const listQuery = z.object({
  state: z.enum(senderStates).optional(),
  sort: sortParam(senderSortFields),
  limit: z.coerce
    .number({ error: 'limit must be a number' })
    .int('limit must be a whole number')
    .min(1, 'limit must be at least 1')
    .max(500, 'limit is at most 500')
    .default(100),
  offset: z.coerce
    .number({ error: 'offset must be a number' })
    .int('offset must be a whole number')
    .min(0, 'offset must be 0 or more')
    .max(10_000_000)
    .default(0),
});

export async function stockRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const admin = { onRequest: requireRole(ctx, 'admin') };

  app.post('/api/admin/senders', admin, async (req) => {
    const { tokens } = addBody.parse(req.body);
    const result = await addSenders({ ctx, tokens, actorUserId: req.user!.id });
    // `outcomes`: one per pasted token, in input order, so the panel lists results line by line.
    return { added: result.added.length, senders: result.added, rejected: result.rejected, outcomes: result.outcomes };
  });

  app.get('/api/admin/senders', admin, async (req) => {
    const { state, sort, limit, offset } = listQuery.parse(req.query);
    return listSenders({ db: ctx.db, limit, offset, sort, ...(state ? { state } : {}) });
  });
}

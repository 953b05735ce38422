// The stock of sender bots: paste tokens in, list what is there (never a token out).
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { sortParam } from '../../lib/sort.js';
import { addSenders } from '../../modules/stock/add-senders.js';
import { listSenders, senderSortFields, senderStates } from '../../modules/stock/list-senders.js';
import type { AppContext } from '../../platform/app-context.js';
import { addSendersBodySchema, addSendersResultSchema, sendersSchema } from '../../shared/api/stock.js';
import { requireRole } from '../auth.js';
import { authedErrors, sessionSecurity } from '../route-docs.js';
import { toWire } from '../wire.js';

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
  const r = app.withTypeProvider<ZodTypeProvider>();
  const onRequest = requireRole(ctx, 'admin');
  const docs = { tags: ['stock'], security: sessionSecurity };

  r.post(
    '/api/admin/senders',
    {
      onRequest,
      schema: {
        ...docs,
        summary: 'Add sender bots by token (each checked with getMe)',
        body: addSendersBodySchema,
        response: { 200: addSendersResultSchema, ...authedErrors },
      },
    },
    async (req) => {
      const result = await addSenders({ ctx, tokens: req.body.tokens, actorUserId: req.user!.id });
      // `outcomes`: one per pasted token, in input order, so the panel lists results line by line.
      return { added: result.added.length, senders: result.added, rejected: result.rejected, outcomes: result.outcomes };
    },
  );

  r.get(
    '/api/admin/senders',
    {
      onRequest,
      schema: { ...docs, summary: 'The stock, one page, with counts by state', querystring: listQuery, response: { 200: sendersSchema, ...authedErrors } },
    },
    async (req) => {
      const { state, sort, limit, offset } = req.query;
      return toWire(await listSenders({ db: ctx.db, limit, offset, sort, ...(state ? { state } : {}) }));
    },
  );
}

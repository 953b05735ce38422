// The customer's delivery log, /api/user/posts*: every post, paged and filtered, and the same
// rows as a CSV download. Registered by adbotsRoutes (the rest of /api/user/*).
import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { exportDeliveriesCsv } from '../../modules/adbots/export-deliveries-csv.js';
import { listDeliveries } from '../../modules/adbots/list-deliveries.js';
import type { AppContext } from '../../platform/app-context.js';
import { DELIVERY_CSV_MAX_ROWS, deliveryFilterSchema, deliveryPageQuerySchema, deliveryPageSchema } from '../../shared/api/customer.js';
import { requireRole } from '../auth.js';
import { authedErrors, sessionSecurity } from '../route-docs.js';

// The customer's own posts only: every query is keyed by the session's user id, never by an id from the request.
const me = (req: FastifyRequest) => req.user!.id;

export async function deliveryLogRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const onRequest = requireRole(ctx, 'customer');
  const docs = { tags: ['customer'], security: sessionSecurity };

  r.get(
    '/api/user/posts',
    {
      onRequest,
      schema: {
        ...docs,
        summary: 'The delivery log: every post, newest first',
        description:
          'Filter by `chat` (its ref in your list), `result`, and `from` (inclusive) / `to` (exclusive) on when the post was made. ' +
          'Pages by cursor: pass `nextCursor` as `cursor` for the next page; it is null on the last.',
        querystring: deliveryPageQuerySchema,
        response: { 200: deliveryPageSchema, ...authedErrors },
      },
    },
    async (req) => {
      const { limit, cursor, ...filter } = req.query;
      const page = await listDeliveries({ db: ctx.db, userId: me(req), filter, limit, cursor });
      return {
        nextCursor: page.nextCursor,
        posts: page.posts.map((p) => ({ ...p, at: p.at.toISOString(), dueAt: p.dueAt?.toISOString() ?? null })),
      };
    },
  );

  r.get(
    '/api/user/posts.csv',
    {
      onRequest,
      // Each export reads up to 100k rows: a few a minute is plenty for a person.
      config: { rateLimit: { max: 10, timeWindow: '1 minute' } },
      schema: {
        ...docs,
        summary: 'The delivery log as a CSV file',
        description: `The same filters as GET /api/user/posts; newest first, at most ${DELIVERY_CSV_MAX_ROWS} rows (narrow the dates for more).`,
        querystring: deliveryFilterSchema,
        response: {
          200: { description: 'RFC 4180 CSV, UTF-8 with a byte-order mark', content: { 'text/csv': { schema: z.string() } } },
          ...authedErrors,
        },
      },
    },
    async (req, reply) => {
      const chunks = await exportDeliveriesCsv({ db: ctx.db, userId: me(req), filter: req.query });
      const day = new Date().toISOString().slice(0, 10);
      return (
        reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="hqadz-delivery-log-${day}.csv"`)
          .header('cache-control', 'no-store')
          // A stream skips the serialiser; the schema's string is what the document says the body is.
          .send(Readable.from(chunks) as unknown as string)
      );
    },
  );
}

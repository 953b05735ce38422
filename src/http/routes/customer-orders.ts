// The customer's orders and receipts, /api/user/orders*: the dashboard's Orders page and the
// printable receipt of each paid order.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { pageQuery } from '../../modules/admin/pagination.js';
import { getReceipt, type ReceiptView } from '../../modules/checkout/get-receipt.js';
import { listCustomerOrders, receivedRule } from '../../modules/checkout/list-customer-orders.js';
import type { AppContext } from '../../platform/app-context.js';
import { customerOrdersSchema, type Receipt, receiptSchema } from '../../shared/api/receipts.js';
import { requireRole } from '../auth.js';
import { errorResponses, sessionSecurity } from '../route-docs.js';

// The customer's own orders only: every query is keyed by the session's user id, never by an id from the request.
const me = (req: FastifyRequest) => req.user!.id;
const iso = (d: Date | null) => d?.toISOString() ?? null;

const receiptParams = z.object({
  orderNumber: z.coerce
    .number({ error: 'orderNumber must be a number' })
    .int('orderNumber must be a whole number')
    .min(1, 'orderNumber must be at least 1')
    .max(Number.MAX_SAFE_INTEGER, 'orderNumber is too large'),
});

function receiptResponse(r: ReceiptView): Receipt {
  return {
    seller: r.seller,
    orderNumber: r.orderNumber,
    status: r.status,
    customerEmail: r.customerEmail,
    createdAt: r.createdAt.toISOString(),
    paidAt: iso(r.paidAt),
    fulfilledAt: iso(r.fulfilledAt),
    plan: r.plan,
    priceUsd: r.priceUsd,
    amounts: r.amounts,
    payments: r.payments.map((p) => ({ ...p, createdAt: p.createdAt.toISOString() })),
    bought: r.bought,
  };
}

export async function customerOrdersRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const onRequest = requireRole(ctx, 'customer');
  const docs = { tags: ['customer'], security: sessionSecurity };

  r.get(
    '/api/user/orders',
    {
      onRequest,
      schema: {
        ...docs,
        summary: 'Your orders, newest first, with what each payment received',
        querystring: pageQuery,
        response: { 200: customerOrdersSchema, ...errorResponses(400, 401, 403, 500, 503) },
      },
    },
    async (req) => {
      const page = await listCustomerOrders({ db: ctx.db, userId: me(req), received: receivedRule(ctx), ...req.query });
      return {
        total: page.total,
        orders: page.orders.map((o) => ({
          ...o,
          createdAt: o.createdAt.toISOString(),
          paidAt: iso(o.paidAt),
          fulfilledAt: iso(o.fulfilledAt),
        })),
      };
    },
  );

  r.get(
    '/api/user/orders/:orderNumber/receipt',
    {
      onRequest,
      schema: {
        ...docs,
        summary: 'The receipt of one of your paid orders',
        description: '404 when you have no such order; 409 `conflict` while its payment has not arrived.',
        params: receiptParams,
        response: { 200: receiptSchema, ...errorResponses(400, 401, 403, 404, 409, 500, 503) },
      },
    },
    async (req) =>
      receiptResponse(
        await getReceipt({ db: ctx.db, userId: me(req), orderNumber: req.params.orderNumber, received: receivedRule(ctx), publicUrl: ctx.config.publicUrl }),
      ),
  );
}

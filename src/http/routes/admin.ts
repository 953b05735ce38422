// The admin panel's API (customers, bots and records are in admin-customers.ts). Every route: admin only, its input and answer declared as zod schemas
// (validated, serialised and documented from them), one use case. Lists take `?limit=&offset=`
// and answer with `total`.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { sortParam } from '../../lib/sort.js';
import { getOverview } from '../../modules/admin/get-overview.js';
import { usdPriceCents } from '../../modules/admin/money.js';
import { pageQuery } from '../../modules/admin/pagination.js';
import { createPlan } from '../../modules/catalog/create-plan.js';
import { listPlans } from '../../modules/catalog/list-plans.js';
import { updatePlan } from '../../modules/catalog/update-plan.js';
import { getOrderDetail } from '../../modules/checkout/get-order-detail.js';
import { listOrders, orderSortFields, orderStatuses } from '../../modules/checkout/list-orders.js';
import { listPaymentEvents } from '../../modules/payments/list-payment-events.js';
import { listUnmatchedPayments } from '../../modules/payments/list-unmatched-payments.js';
import { paymentStatuses } from '../../modules/payments/payment-status.js';
import { paymentProviderHealth } from '../../modules/payments/provider.js';
import { recordRefund } from '../../modules/payments/record-refund.js';
import { replayPaymentEvent } from '../../modules/payments/replay-payment-event.js';
import { adminReplaceSender } from '../../modules/stock/admin-replace-sender.js';
import type { AppContext } from '../../platform/app-context.js';
import {
  orderDetailSchema,
  ordersSchema,
  overviewSchema,
  paymentEventsSchema,
  planResultSchema,
  plansSchema,
  refundResultSchema,
  replayResultSchema,
  unmatchedPaymentsSchema,
} from '../../shared/api/admin.js';
import { replaceSenderResultSchema } from '../../shared/api/stock.js';
import { requireRole } from '../auth.js';
import { authedErrors, errorResponses, orEmpty, sessionSecurity } from '../route-docs.js';
import { toWire } from '../wire.js';
import { adminCustomerRoutes } from './admin-customers.js';

const idParams = (what: string) => z.object({ id: z.uuid(`must be ${what} id`) });
const planParams = idParams('a plan');
const orderParams = idParams('an order');
const eventParams = idParams('a payment event');
const senderParams = idParams('a sender');

const int = (label: string, min: number, max: number) =>
  z
    .number({ error: `${label} must be a number` })
    .int(`${label} must be a whole number`)
    .min(min, `${label} must be at least ${min}`)
    .max(max, `${label} must be at most ${max}`);

const planFields = {
  slug: z
    .string({ error: 'slug is required' })
    .trim()
    .regex(/^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/, 'slug: 1–40 lowercase letters, digits and dashes, e.g. "gold-plus"'),
  name: z.string({ error: 'name is required' }).trim().min(1, 'name is required').max(60, 'name is at most 60 characters'),
  planType: z.enum(['starter', 'enterprise'], { error: 'planType must be "starter" or "enterprise"' }),
  priceUsd: usdPriceCents,
  senders: int('senders', 1, 100),
  postingIntervalSeconds: int('postingIntervalSeconds', 10, 86_400),
  validityDays: int('validityDays', 1, 365),
};
const createPlanBody = z.strictObject({ ...planFields, active: z.boolean().optional() });
const patchPlanBody = z
  .strictObject({
    slug: planFields.slug.optional(),
    name: planFields.name.optional(),
    planType: planFields.planType.optional(),
    priceUsd: planFields.priceUsd.optional(),
    senders: planFields.senders.optional(),
    postingIntervalSeconds: planFields.postingIntervalSeconds.optional(),
    validityDays: planFields.validityDays.optional(),
    active: z.boolean({ error: 'active must be true or false' }).optional(),
  })
  .refine((b) => Object.keys(b).length > 0, { message: 'send at least one field to change' });

const ordersQuery = pageQuery.extend({
  status: z.enum(orderStatuses).optional(),
  email: z.string().trim().max(200).optional(),
  sort: sortParam(orderSortFields),
});
const refundBody = z.strictObject({
  expectedPaymentStatus: z.enum(paymentStatuses, { error: 'the payment status you saw is required' }),
  note: z.string().trim().max(500, 'note is at most 500 characters').optional(),
});
const eventsQuery = pageQuery.extend({ verdict: z.string().trim().min(1).max(50).optional() });

export async function adminRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const onRequest = requireRole(ctx, 'admin');
  const docs = { tags: ['admin'], security: sessionSecurity };
  const withId = errorResponses(400, 401, 403, 404, 500, 503);
  await adminCustomerRoutes(app, ctx);

  r.get(
    '/api/admin/overview',
    { onRequest, schema: { ...docs, summary: 'Revenue, bots, stock and posting at a glance', response: { 200: overviewSchema, ...authedErrors } } },
    async () => {
      const [overview, paymentProvider] = await Promise.all([getOverview({ db: ctx.db }), paymentProviderHealth(ctx)]);
      return { ...overview, paymentProvider };
    },
  );

  // Plans
  r.get(
    '/api/admin/products',
    { onRequest, schema: { ...docs, summary: 'Every plan, inactive ones included', response: { 200: plansSchema, ...authedErrors } } },
    async () => toWire({ products: await listPlans({ db: ctx.db }) }),
  );

  r.post(
    '/api/admin/products',
    {
      onRequest,
      schema: {
        ...docs,
        summary: 'Create a plan',
        body: orEmpty(createPlanBody),
        response: { 201: planResultSchema, ...errorResponses(400, 401, 403, 409, 500, 503) },
      },
    },
    async (req, reply) => {
      const { priceUsd, ...rest } = req.body;
      const product = await createPlan({ db: ctx.db, adminUserId: req.user!.id, plan: { ...rest, priceCents: priceUsd } });
      return reply.status(201).send(toWire({ product }));
    },
  );

  r.patch(
    '/api/admin/products/:id',
    {
      onRequest,
      schema: {
        ...docs,
        summary: 'Edit or deactivate a plan',
        params: planParams,
        body: orEmpty(patchPlanBody),
        response: { 200: planResultSchema, ...errorResponses(400, 401, 403, 404, 409, 500, 503) },
      },
    },
    async (req) => {
      const { priceUsd, ...rest } = req.body;
      const changes = Object.fromEntries(Object.entries({ ...rest, priceCents: priceUsd }).filter(([, v]) => v !== undefined));
      return toWire({ product: await updatePlan({ db: ctx.db, adminUserId: req.user!.id, planId: req.params.id, changes }) });
    },
  );

  // Orders and payments
  r.get(
    '/api/admin/orders',
    {
      onRequest,
      schema: {
        ...docs,
        summary: 'Orders: filtered and sorted, or else the ones needing attention first',
        querystring: ordersQuery,
        response: { 200: ordersSchema, ...authedErrors },
      },
    },
    async (req) => toWire(await listOrders({ db: ctx.db, ...req.query })),
  );

  r.get(
    '/api/admin/orders/:id',
    {
      onRequest,
      schema: { ...docs, summary: 'One order with its payment, IPN timeline and emails', params: orderParams, response: { 200: orderDetailSchema, ...withId } },
    },
    async (req) => toWire(await getOrderDetail({ db: ctx.db, orderId: req.params.id })),
  );

  r.post(
    '/api/admin/orders/:id/refund',
    {
      onRequest,
      schema: {
        ...docs,
        summary: 'Record a refund made outside the app',
        params: orderParams,
        body: orEmpty(refundBody),
        response: { 200: refundResultSchema, ...errorResponses(400, 401, 403, 404, 409, 500, 503) },
      },
    },
    async (req) => {
      const { note, expectedPaymentStatus } = req.body;
      return recordRefund({ ctx, orderId: req.params.id, adminUserId: req.user!.id, expectedPaymentStatus, note });
    },
  );

  r.get(
    '/api/admin/payment-events',
    {
      onRequest,
      schema: { ...docs, summary: 'Payment notifications as received', querystring: eventsQuery, response: { 200: paymentEventsSchema, ...authedErrors } },
    },
    async (req) => toWire(await listPaymentEvents({ db: ctx.db, ...req.query })),
  );

  r.get(
    '/api/admin/unmatched-payments',
    {
      onRequest,
      schema: {
        ...docs,
        summary: "Payments we can't match: signed IPNs for a payment no order claims",
        querystring: pageQuery,
        response: { 200: unmatchedPaymentsSchema, ...authedErrors },
      },
    },
    async (req) => toWire(await listUnmatchedPayments({ db: ctx.db, ...req.query })),
  );

  r.post(
    '/api/admin/payment-events/:id/replay',
    {
      onRequest,
      schema: {
        ...docs,
        summary: 'Apply a stored notification again',
        params: eventParams,
        response: { 200: replayResultSchema, ...errorResponses(400, 401, 403, 404, 409, 500, 502, 503) },
      },
    },
    async (req) => replayPaymentEvent({ ctx, eventId: req.params.id, adminUserId: req.user!.id }),
  );

  // Stock: retire a bad sender and give its bot another from stock
  r.post(
    '/api/admin/senders/:id/replace',
    {
      onRequest,
      schema: {
        ...docs,
        tags: ['stock'],
        summary: 'Ban a bad sender and give its bot another from stock',
        params: senderParams,
        response: { 200: replaceSenderResultSchema, ...errorResponses(400, 401, 403, 404, 409, 500, 503) },
      },
    },
    async (req) => {
      const res = await adminReplaceSender({ ctx, senderId: req.params.id, adminUserId: req.user!.id });
      return res.outcome === 'replaced'
        ? { outcome: res.outcome, adbotId: res.adbotId, replacement: { id: res.replacementId, username: res.replacementUsername } }
        : { outcome: res.outcome, adbotId: res.adbotId, replacement: null };
    },
  );
}

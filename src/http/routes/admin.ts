// The admin panel's API. Every route: admin only, zod-parsed input, one use case, a mapped
// response. Lists take `?limit=&offset=` and answer with `total`.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { sortParam } from '../../lib/sort.js';
import { customerSortFields, listCustomers } from '../../modules/accounts/list-customers.js';
import { rotateAccessCode } from '../../modules/accounts/rotate-access-code.js';
import { setCustomerBanned } from '../../modules/accounts/set-customer-banned.js';
import { adminUpdateAdbot } from '../../modules/adbots/admin-update-adbot.js';
import { adbotStatuses, listAdbots } from '../../modules/adbots/list-adbots.js';
import { getCustomerAdbot } from '../../modules/admin/get-customer-adbot.js';
import { getOverview } from '../../modules/admin/get-overview.js';
import { listActivity } from '../../modules/admin/list-activity.js';
import { usdPriceCents } from '../../modules/admin/money.js';
import { pageQuery } from '../../modules/admin/pagination.js';
import { createPlan } from '../../modules/catalog/create-plan.js';
import { listPlans } from '../../modules/catalog/list-plans.js';
import { updatePlan } from '../../modules/catalog/update-plan.js';
import { getOrderDetail } from '../../modules/checkout/get-order-detail.js';
import { listOrders, orderSortFields, orderStatuses } from '../../modules/checkout/list-orders.js';
import { emailStatuses, listEmails } from '../../modules/notifications/list-emails.js';
import { listPaymentEvents } from '../../modules/payments/list-payment-events.js';
import { paymentStatuses } from '../../modules/payments/payment-status.js';
import { paymentProviderHealth } from '../../modules/payments/provider.js';
import { recordRefund } from '../../modules/payments/record-refund.js';
import { replayPaymentEvent } from '../../modules/payments/replay-payment-event.js';
import { adminReplaceSender } from '../../modules/stock/admin-replace-sender.js';
import type { AppContext } from '../../platform/app-context.js';
import { requireRole } from '../auth.js';

const idParams = (what: string) => z.object({ id: z.uuid(`must be ${what} id`) });
const adbotParams = idParams('an adbot');
const planParams = idParams('a plan');
const orderParams = idParams('an order');
const eventParams = idParams('a payment event');
const customerParams = idParams('a customer');
const senderParams = idParams('a sender');

const patchAdbotBody = z
  .strictObject({
    expiresAt: z.iso.datetime({ offset: true, error: 'must be an ISO date-time, e.g. 2025-01-31T12:00:00Z' }).optional(),
    status: z.enum(['running', 'stopped', 'suspended']).optional(),
  })
  .refine((b) => b.expiresAt !== undefined || b.status !== undefined, { message: 'send expiresAt, status or both' });

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
const customersQuery = pageQuery.extend({ q: z.string().trim().max(200).optional(), sort: sortParam(customerSortFields) });
const adbotsQuery = pageQuery.extend({ status: z.enum(adbotStatuses).optional() });
const emailsQuery = pageQuery.extend({ status: z.enum(emailStatuses).optional() });
const activityQuery = pageQuery.extend({ action: z.string().trim().max(60).optional() });

export async function adminRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const admin = { onRequest: requireRole(ctx, 'admin') };

  app.get('/api/admin/overview', admin, async () => {
    const [overview, paymentProvider] = await Promise.all([getOverview({ db: ctx.db }), paymentProviderHealth(ctx)]);
    return { ...overview, paymentProvider };
  });

  // Plans
  app.get('/api/admin/products', admin, async () => ({ products: await listPlans({ db: ctx.db }) }));

  app.post('/api/admin/products', admin, async (req, reply) => {
    const { priceUsd, ...rest } = createPlanBody.parse(req.body ?? {});
    const product = await createPlan({ db: ctx.db, adminUserId: req.user!.id, plan: { ...rest, priceCents: priceUsd } });
    return reply.status(201).send({ product });
  });

  app.patch('/api/admin/products/:id', admin, async (req) => {
    const { id } = planParams.parse(req.params);
    const { priceUsd, ...rest } = patchPlanBody.parse(req.body ?? {});
    const changes = Object.fromEntries(Object.entries({ ...rest, priceCents: priceUsd }).filter(([, v]) => v !== undefined));
    return { product: await updatePlan({ db: ctx.db, adminUserId: req.user!.id, planId: id, changes }) };
  });

  // Orders and payments
  app.get('/api/admin/orders', admin, async (req) => {
    const q = ordersQuery.parse(req.query ?? {});
    return listOrders({ db: ctx.db, ...q });
  });

  app.get('/api/admin/orders/:id', admin, async (req) => {
    const { id } = orderParams.parse(req.params);
    return getOrderDetail({ db: ctx.db, orderId: id });
  });

  app.post('/api/admin/orders/:id/refund', admin, async (req) => {
    const { id } = orderParams.parse(req.params);
    const { note, expectedPaymentStatus } = refundBody.parse(req.body ?? {});
    return recordRefund({ ctx, orderId: id, adminUserId: req.user!.id, expectedPaymentStatus, note });
  });

  app.get('/api/admin/payment-events', admin, async (req) => {
    const q = eventsQuery.parse(req.query ?? {});
    return listPaymentEvents({ db: ctx.db, ...q });
  });

  app.post('/api/admin/payment-events/:id/replay', admin, async (req) => {
    const { id } = eventParams.parse(req.params);
    return replayPaymentEvent({ ctx, eventId: id, adminUserId: req.user!.id });
  });

  // Stock: retire a bad sender and give its bot another from stock
  app.post('/api/admin/senders/:id/replace', admin, async (req) => {
    const { id } = senderParams.parse(req.params);
    const r = await adminReplaceSender({ ctx, senderId: id, adminUserId: req.user!.id });
    return r.outcome === 'replaced'
      ? { outcome: r.outcome, adbotId: r.adbotId, replacement: { id: r.replacementId, username: r.replacementUsername } }
      : { outcome: r.outcome, adbotId: r.adbotId, replacement: null };
  });

  // Customers and their bots
  app.get('/api/admin/customers', admin, async (req) => {
    const q = customersQuery.parse(req.query ?? {});
    return listCustomers({ db: ctx.db, ...q });
  });

  // One customer's bot, read only: ad, chats with status and the latest posts (no tokens).
  app.get('/api/admin/customers/:id/adbot', admin, async (req) => {
    const { id } = customerParams.parse(req.params);
    const { bot, recentPosts } = await getCustomerAdbot({ db: ctx.db, userId: id });
    const { senders, ...rest } = bot;
    return {
      adbot: { ...rest, senders: senders.map((s) => ({ id: s.id, username: s.username, state: s.state })) },
      recentPosts,
    };
  });

  app.post('/api/admin/customers/:id/rotate-code', admin, async (req) => {
    const { id } = customerParams.parse(req.params);
    return rotateAccessCode({ db: ctx.db, adminUserId: req.user!.id, userId: id });
  });

  for (const action of ['ban', 'unban'] as const) {
    app.post(`/api/admin/customers/:id/${action}`, admin, async (req) => {
      const { id } = customerParams.parse(req.params);
      return { customer: await setCustomerBanned({ ctx, adminUserId: req.user!.id, userId: id, banned: action === 'ban' }) };
    });
  }

  app.get('/api/admin/adbots', admin, async (req) => {
    const q = adbotsQuery.parse(req.query ?? {});
    return listAdbots({ db: ctx.db, ...q });
  });

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

  // Records
  app.get('/api/admin/emails', admin, async (req) => {
    const q = emailsQuery.parse(req.query ?? {});
    return listEmails({ db: ctx.db, ...q });
  });

  app.get('/api/admin/activity', admin, async (req) => {
    const q = activityQuery.parse(req.query ?? {});
    return listActivity({ db: ctx.db, ...q });
  });
}

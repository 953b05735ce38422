// Resellers: the admin's screens for them, a reseller's own pages and the public referral check.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../lib/errors.js';
import { pageQuery } from '../../modules/admin/pagination.js';
import { createReseller } from '../../modules/resellers/create-reseller.js';
import { getReferral } from '../../modules/resellers/get-referral.js';
import { listResellerCustomers } from '../../modules/resellers/list-reseller-customers.js';
import { listResellerOrders } from '../../modules/resellers/list-reseller-orders.js';
import { listResellerPayouts } from '../../modules/resellers/list-reseller-payouts.js';
import { getResellerView, listResellers, type ResellerView } from '../../modules/resellers/list-resellers.js';
import { payoutCentsSchema, percentBpsSchema } from '../../modules/resellers/money.js';
import { recordPayout } from '../../modules/resellers/record-payout.js';
import { referralCodeSchema } from '../../modules/resellers/referral-code.js';
import { updateReseller } from '../../modules/resellers/update-reseller.js';
import type { AppContext } from '../../platform/app-context.js';
import {
  createResellerResultSchema,
  payoutResultSchema,
  referralSchema,
  resellerCustomersSchema,
  resellerMeSchema,
  resellerOrdersSchema,
  resellerPayoutsSchema,
  resellerResultSchema,
  resellersSchema,
} from '../../shared/api/resellers.js';
import { requireRole } from '../auth.js';
import { authedErrors, errorResponses, orEmpty, sessionSecurity } from '../route-docs.js';
import { toWire } from '../wire.js';

const commissionPercent = percentBpsSchema({ max: 90, tooBig: 'must be at most 90' });
const referralParams = z.object({ code: referralCodeSchema });
const resellerParams = z.object({ id: z.uuid('must be a reseller id') });
const createBody = z.strictObject({
  email: z.string().trim().pipe(z.email('must be a valid email address').max(254)),
  commissionPercent,
  referralCode: referralCodeSchema.optional(),
});
const patchBody = z
  .strictObject({ commissionPercent: commissionPercent.optional(), active: z.boolean().optional() })
  .refine((b) => b.commissionPercent !== undefined || b.active !== undefined, { message: 'send commissionPercent, active or both' });
const payoutBody = z.strictObject({
  amountUsd: payoutCentsSchema,
  note: z.string().trim().max(500, 'must be at most 500 characters').nullish(),
});

function adminView(r: ResellerView) {
  return {
    id: r.id,
    email: r.email,
    referralCode: r.referralCode,
    commissionPercent: r.commissionPercent,
    active: r.active,
    customers: r.customers,
    earnedUsd: r.earnedUsd,
    paidUsd: r.paidUsd,
    dueUsd: r.dueUsd,
    createdAt: r.createdAt,
  };
}

export async function resellersRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const admin = { onRequest: requireRole(ctx, 'admin') };
  const reseller = { onRequest: requireRole(ctx, 'reseller') };
  const docs = { tags: ['reseller'], security: sessionSecurity };
  // A reseller's own data only: every query is keyed by the session's user id, never by an id from the request.
  const me = (req: FastifyRequest) => req.user!.id;

  // Public: checkout's "Referred by …". Per-IP limited so it is no cheap oracle for guessing codes.
  r.get(
    '/api/referrals/:code',
    {
      config: { rateLimit: { max: 60, timeWindow: '1 minute' } },
      schema: {
        tags: ['reseller'],
        summary: 'Check a referral code (public, rate-limited)',
        params: referralParams,
        response: { 200: referralSchema, ...errorResponses(400, 404, 429, 500, 503) },
      },
    },
    async (req) => {
      const referral = await getReferral({ db: ctx.db, code: req.params.code });
      if (!referral) throw new AppError('not_found', 'No active reseller has this referral code');
      return { code: referral.code };
    },
  );

  r.get(
    '/api/admin/resellers',
    {
      ...admin,
      schema: { ...docs, summary: 'Resellers with their balances', querystring: pageQuery, response: { 200: resellersSchema, ...authedErrors } },
    },
    async (req) => {
      const { resellers, total } = await listResellers({ db: ctx.db, ...req.query });
      return toWire({ resellers: resellers.map(adminView), total });
    },
  );

  r.post(
    '/api/admin/resellers',
    {
      ...admin,
      schema: {
        ...docs,
        summary: 'Create a reseller (answers with their access code, once)',
        body: orEmpty(createBody),
        response: { 201: createResellerResultSchema, ...errorResponses(400, 401, 403, 409, 500, 503) },
      },
    },
    async (req, reply) => {
      const body = req.body;
      const { reseller: created, accessCode } = await createReseller({
        db: ctx.db,
        adminUserId: req.user!.id,
        email: body.email,
        commissionBps: body.commissionPercent,
        referralCode: body.referralCode,
      });
      return reply.status(201).send(toWire({ reseller: adminView(created), accessCode }));
    },
  );

  r.patch(
    '/api/admin/resellers/:id',
    {
      ...admin,
      schema: {
        ...docs,
        summary: 'Change commission or pause a reseller',
        params: resellerParams,
        body: orEmpty(patchBody),
        response: { 200: resellerResultSchema, ...errorResponses(400, 401, 403, 404, 500, 503) },
      },
    },
    async (req) => {
      const updated = await updateReseller({
        db: ctx.db,
        adminUserId: req.user!.id,
        resellerId: req.params.id,
        commissionBps: req.body.commissionPercent,
        active: req.body.active,
      });
      return toWire({ reseller: adminView(updated) });
    },
  );

  r.post(
    '/api/admin/resellers/:id/payouts',
    {
      ...admin,
      schema: {
        ...docs,
        summary: 'Record a payout (never more than is due)',
        params: resellerParams,
        body: orEmpty(payoutBody),
        response: { 200: payoutResultSchema, ...errorResponses(400, 401, 403, 404, 409, 500, 503) },
      },
    },
    async (req) => {
      const { amountUsd, note } = req.body;
      const result = await recordPayout({ db: ctx.db, adminUserId: req.user!.id, resellerId: req.params.id, amountCents: amountUsd, note: note || null });
      return toWire({ payout: result.payout, dueUsd: result.dueUsd });
    },
  );

  r.get(
    '/api/reseller/me',
    {
      ...reseller,
      schema: {
        ...docs,
        summary: "The reseller's own balance and referral link",
        response: { 200: resellerMeSchema, ...errorResponses(400, 401, 403, 404, 500, 503) },
      },
    },
    async (req) => {
      const view = await getResellerView({ db: ctx.db, userId: me(req) });
      if (!view) throw new AppError('not_found', 'Your reseller account is not set up; contact support');
      return {
        email: view.email,
        referralCode: view.referralCode,
        referralLink: `${ctx.config.publicUrl}/?ref=${encodeURIComponent(view.referralCode)}`,
        commissionPercent: view.commissionPercent,
        active: view.active,
        earnedUsd: view.earnedUsd,
        paidUsd: view.paidUsd,
        dueUsd: view.dueUsd,
        customers: view.customers,
        orders: view.orders,
      };
    },
  );

  r.get(
    '/api/reseller/customers',
    {
      ...reseller,
      schema: {
        ...docs,
        summary: 'Customers the reseller brought (emails masked)',
        querystring: pageQuery,
        response: { 200: resellerCustomersSchema, ...authedErrors },
      },
    },
    async (req) => toWire(await listResellerCustomers({ db: ctx.db, userId: me(req), ...req.query })),
  );

  r.get(
    '/api/reseller/orders',
    {
      ...reseller,
      schema: {
        ...docs,
        summary: 'Orders attributed to the reseller',
        querystring: pageQuery,
        response: { 200: resellerOrdersSchema, ...authedErrors },
      },
    },
    async (req) => toWire(await listResellerOrders({ db: ctx.db, userId: me(req), ...req.query })),
  );

  r.get(
    '/api/reseller/payouts',
    { ...reseller, schema: { ...docs, summary: 'What the reseller has been paid', response: { 200: resellerPayoutsSchema, ...authedErrors } } },
    async (req) => toWire({ payouts: await listResellerPayouts({ db: ctx.db, userId: me(req) }) }),
  );
}

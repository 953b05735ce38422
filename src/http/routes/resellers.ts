import type { FastifyInstance, FastifyRequest } from 'fastify';
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
import { requireRole } from '../auth.js';

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
  const admin = { onRequest: requireRole(ctx, 'admin') };
  const reseller = { onRequest: requireRole(ctx, 'reseller') };
  // A reseller's own data only: every query is keyed by the session's user id, never by an id from the request.
  const me = (req: FastifyRequest) => req.user!.id;

  // Public: checkout's "Referred by …". Per-IP limited so it is no cheap oracle for guessing codes.
  app.get('/api/referrals/:code', { config: { rateLimit: { max: 60, timeWindow: '1 minute' } } }, async (req) => {
    const { code } = referralParams.parse(req.params);
    const referral = await getReferral({ db: ctx.db, code });
    if (!referral) throw new AppError('not_found', 'No active reseller has this referral code');
    return { code: referral.code };
  });

  app.get('/api/admin/resellers', admin, async (req) => {
    const { limit, offset } = pageQuery.parse(req.query);
    const { resellers, total } = await listResellers({ db: ctx.db, limit, offset });
    return { resellers: resellers.map(adminView), total };
  });

  app.post('/api/admin/resellers', admin, async (req, reply) => {
    const body = createBody.parse(req.body ?? {});
    const { reseller: created, accessCode } = await createReseller({
      db: ctx.db,
      adminUserId: req.user!.id,
      email: body.email,
      commissionBps: body.commissionPercent,
      referralCode: body.referralCode,
    });
    return reply.status(201).send({ reseller: adminView(created), accessCode });
  });

  app.patch('/api/admin/resellers/:id', admin, async (req) => {
    const { id } = resellerParams.parse(req.params);
    const body = patchBody.parse(req.body ?? {});
    const updated = await updateReseller({
      db: ctx.db,
      adminUserId: req.user!.id,
      resellerId: id,
      commissionBps: body.commissionPercent,
      active: body.active,
    });
    return { reseller: adminView(updated) };
  });

  app.post('/api/admin/resellers/:id/payouts', admin, async (req) => {
    const { id } = resellerParams.parse(req.params);
    const body = payoutBody.parse(req.body ?? {});
    const result = await recordPayout({ db: ctx.db, adminUserId: req.user!.id, resellerId: id, amountCents: body.amountUsd, note: body.note || null });
    return { payout: result.payout, dueUsd: result.dueUsd };
  });

  app.get('/api/reseller/me', reseller, async (req) => {
    const r = await getResellerView({ db: ctx.db, userId: me(req) });
    if (!r) throw new AppError('not_found', 'Your reseller account is not set up; contact support');
    return {
      email: r.email,
      referralCode: r.referralCode,
      referralLink: `${ctx.config.publicUrl}/?ref=${encodeURIComponent(r.referralCode)}`,
      commissionPercent: r.commissionPercent,
      active: r.active,
      earnedUsd: r.earnedUsd,
      paidUsd: r.paidUsd,
      dueUsd: r.dueUsd,
      customers: r.customers,
      orders: r.orders,
    };
  });

  app.get('/api/reseller/customers', reseller, async (req) => {
    const { limit, offset } = pageQuery.parse(req.query);
    return listResellerCustomers({ db: ctx.db, userId: me(req), limit, offset });
  });

  app.get('/api/reseller/orders', reseller, async (req) => {
    const { limit, offset } = pageQuery.parse(req.query);
    return listResellerOrders({ db: ctx.db, userId: me(req), limit, offset });
  });

  app.get('/api/reseller/payouts', reseller, async (req) => ({
    payouts: await listResellerPayouts({ db: ctx.db, userId: me(req) }),
  }));
}

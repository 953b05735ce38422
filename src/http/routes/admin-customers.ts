// The admin panel's customers, their bots and the records (emails, activity). Registered by
// adminRoutes; the same contract: admin only, zod schemas for input and answer.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { sortParam } from '../../lib/sort.js';
import { customerSortFields, listCustomers } from '../../modules/accounts/list-customers.js';
import { rotateAccessCode } from '../../modules/accounts/rotate-access-code.js';
import { setCustomerBanned } from '../../modules/accounts/set-customer-banned.js';
import { adminUpdateAdbot } from '../../modules/adbots/admin-update-adbot.js';
import { adbotStatuses, listAdbots } from '../../modules/adbots/list-adbots.js';
import { getCustomerAdbot } from '../../modules/admin/get-customer-adbot.js';
import { listActivity } from '../../modules/admin/list-activity.js';
import { pageQuery } from '../../modules/admin/pagination.js';
import { emailStatuses, listEmails } from '../../modules/notifications/list-emails.js';
import type { AppContext } from '../../platform/app-context.js';
import {
  accessCodeResultSchema,
  activitySchema,
  adbotResultSchema,
  adbotsSchema,
  banResultSchema,
  customerAdbotSchema,
  customersSchema,
  emailsSchema,
} from '../../shared/api/admin.js';
import { requireRole } from '../auth.js';
import { authedErrors, errorResponses, orEmpty, sessionSecurity } from '../route-docs.js';
import { toWire } from '../wire.js';

const customerParams = z.object({ id: z.uuid('must be a customer id') });
const adbotParams = z.object({ id: z.uuid('must be an adbot id') });

const patchAdbotBody = z
  .strictObject({
    expiresAt: z.iso.datetime({ offset: true, error: 'must be an ISO date-time, e.g. 2025-01-31T12:00:00Z' }).optional(),
    status: z.enum(['running', 'stopped', 'suspended']).optional(),
  })
  .refine((b) => b.expiresAt !== undefined || b.status !== undefined, { message: 'send expiresAt, status or both' });

const customersQuery = pageQuery.extend({ q: z.string().trim().max(200).optional(), sort: sortParam(customerSortFields) });
const adbotsQuery = pageQuery.extend({ status: z.enum(adbotStatuses).optional() });
const emailsQuery = pageQuery.extend({ status: z.enum(emailStatuses).optional() });
const activityQuery = pageQuery.extend({ action: z.string().trim().max(60).optional() });

export async function adminCustomerRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const onRequest = requireRole(ctx, 'admin');
  const docs = { tags: ['admin'], security: sessionSecurity };
  const withId = errorResponses(400, 401, 403, 404, 500, 503);

  // Customers and their bots
  r.get(
    '/api/admin/customers',
    {
      onRequest,
      schema: { ...docs, summary: 'Customers with their orders and bot', querystring: customersQuery, response: { 200: customersSchema, ...authedErrors } },
    },
    async (req) => toWire(await listCustomers({ db: ctx.db, ...req.query })),
  );

  // One customer's bot, read only: ad, chats with status and the latest posts (no tokens).
  r.get(
    '/api/admin/customers/:id/adbot',
    {
      onRequest,
      schema: { ...docs, summary: "One customer's bot, read only (no tokens)", params: customerParams, response: { 200: customerAdbotSchema, ...withId } },
    },
    async (req) => {
      const { bot, recentPosts } = await getCustomerAdbot({ db: ctx.db, userId: req.params.id });
      const { senders, ...rest } = bot;
      return toWire({
        adbot: { ...rest, senders: senders.map((s) => ({ id: s.id, username: s.username, state: s.state })) },
        recentPosts,
      });
    },
  );

  r.post(
    '/api/admin/customers/:id/rotate-code',
    {
      onRequest,
      schema: {
        ...docs,
        summary: "Issue a new access code (ends the customer's sessions)",
        params: customerParams,
        response: { 200: accessCodeResultSchema, ...withId },
      },
    },
    async (req) => rotateAccessCode({ db: ctx.db, adminUserId: req.user!.id, userId: req.params.id }),
  );

  for (const action of ['ban', 'unban'] as const) {
    r.post(
      `/api/admin/customers/:id/${action}`,
      {
        onRequest,
        schema: {
          ...docs,
          summary: action === 'ban' ? 'Suspend a customer (stops their bot)' : 'Lift a suspension',
          params: customerParams,
          response: { 200: banResultSchema, ...errorResponses(400, 401, 403, 404, 409, 500, 503) },
        },
      },
      async (req) => ({ customer: await setCustomerBanned({ ctx, adminUserId: req.user!.id, userId: req.params.id, banned: action === 'ban' }) }),
    );
  }

  r.get(
    '/api/admin/adbots',
    { onRequest, schema: { ...docs, summary: 'Every bot', querystring: adbotsQuery, response: { 200: adbotsSchema, ...authedErrors } } },
    async (req) => toWire(await listAdbots({ db: ctx.db, ...req.query })),
  );

  r.patch(
    '/api/admin/adbots/:id',
    {
      onRequest,
      schema: {
        ...docs,
        summary: 'Change expiry or status (an expiry in the past stops a running bot)',
        params: adbotParams,
        body: orEmpty(patchAdbotBody),
        response: { 200: adbotResultSchema, ...errorResponses(400, 401, 403, 404, 409, 500, 503) },
      },
    },
    async (req) => {
      const body = req.body;
      const adbot = await adminUpdateAdbot({
        db: ctx.db,
        adminUserId: req.user!.id,
        adbotId: req.params.id,
        ...(body.expiresAt ? { expiresAt: new Date(body.expiresAt) } : {}),
        ...(body.status ? { status: body.status } : {}),
      });
      return toWire({ adbot });
    },
  );

  // Records
  r.get(
    '/api/admin/emails',
    { onRequest, schema: { ...docs, summary: 'Emails sent and queued', querystring: emailsQuery, response: { 200: emailsSchema, ...authedErrors } } },
    async (req) => toWire(await listEmails({ db: ctx.db, ...req.query })),
  );

  r.get(
    '/api/admin/activity',
    { onRequest, schema: { ...docs, summary: 'Who did what', querystring: activityQuery, response: { 200: activitySchema, ...authedErrors } } },
    async (req) => toWire(await listActivity({ db: ctx.db, ...req.query })),
  );
}

import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { AppError } from '../../lib/errors.js';
import { type BotView, getBotView, getBotViewWithUser } from '../../modules/adbots/get-bot-view.js';
import { getUserStats } from '../../modules/adbots/get-user-stats.js';
import { getUserStatus } from '../../modules/adbots/get-user-status.js';
import { recheckChats } from '../../modules/adbots/recheck-chats.js';
import { startAdbot } from '../../modules/adbots/start-adbot.js';
import { stopAdbot } from '../../modules/adbots/stop-adbot.js';
import { updateBotConfig } from '../../modules/adbots/update-bot-config.js';
import { listDiscoveredChats } from '../../modules/engine/updates/list-discovered-chats.js';
import { listNotifications } from '../../modules/notifications/list-notifications.js';
import { markNotificationsRead } from '../../modules/notifications/mark-notifications-read.js';
import type { AppContext } from '../../platform/app-context.js';
import {
  type BotView as BotViewBody,
  botViewSchema,
  discoveredChatListSchema,
  notificationListSchema,
  notificationsReadSchema,
  type StoredPost,
  userStatsSchema,
  userStatusSchema,
} from '../../shared/api/customer.js';
import { putBotSchema } from '../../shared/bot-config-schema.js';
import { authenticateWith, requireRole } from '../auth.js';
import { authedErrors, errorResponses, sessionSecurity } from '../route-docs.js';
import { botViewSerializerCompiler } from './bot-view-json.js';
import { deliveryLogRoutes } from './delivery-log.js';

// The customer's own data only: every query is keyed by the session's user id, never by an id from the request.
const me = (req: FastifyRequest) => req.user!.id;
const iso = (d: Date | null) => d?.toISOString() ?? null;

function botResponse(bot: BotView): BotViewBody {
  return {
    id: bot.id,
    status: bot.status,
    planSlug: bot.planSlug,
    planName: bot.planName,
    postingIntervalSeconds: bot.postingIntervalSeconds,
    senderCount: bot.senderCount,
    expiresAt: bot.expiresAt.toISOString(),
    senders: bot.senders,
    // Stored by PUT /api/user/bot through putBotSchema; the response schema checks it on the way out.
    post: bot.post as StoredPost | null,
    adError: bot.adError,
    chats: bot.chats.map((c) => ({ ...c, lastPostAt: iso(c.lastPostAt), nextPostAt: iso(c.nextPostAt) })),
  };
}

export async function adbotsRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const onRequest = requireRole(ctx, 'customer');
  const docs = { tags: ['customer'], security: sessionSecurity };
  const botErrors = errorResponses(400, 401, 403, 404, 500, 503);
  // Starting, stopping and rechecking need an active plan (409 `plan_inactive`) and, to start, an ad and chats (409 `not_ready`).
  const actionErrors = errorResponses(400, 401, 403, 404, 409, 429, 500, 503);
  const loadBot = async (userId: string) => {
    const bot = await getBotView({ db: ctx.db, userId });
    if (!bot) throw new AppError('not_found', 'You have no adbot yet: buy a plan first');
    return botResponse(bot);
  };

  r.get(
    '/api/user/status',
    { onRequest, schema: { ...docs, summary: 'The dashboard header: plan, expiry, whether it is live', response: { 200: userStatusSchema, ...authedErrors } } },
    async (req) => {
      const s = await getUserStatus({ db: ctx.db, userId: me(req) });
      return { ...s, expiresAt: iso(s.expiresAt) };
    },
  );

  r.get(
    '/api/user/stats',
    { onRequest, schema: { ...docs, summary: 'Delivery counts: totals and the last 7 UTC days', response: { 200: userStatsSchema, ...authedErrors } } },
    async (req) => {
      const s = await getUserStats({ db: ctx.db, userId: me(req) });
      return { ...s, lastPostAt: iso(s.lastPostAt) };
    },
  );

  r.get(
    '/api/user/bot',
    {
      schema: { ...docs, summary: 'The adbot: its ad, chats and senders', response: { 200: botViewSchema, ...botErrors } },
      serializerCompiler: botViewSerializerCompiler,
    },
    // The dashboard polls this: the session check and the read are one statement, its answer written by hand.
    async (req) => {
      const bot = await authenticateWith(ctx, req, ['customer'], async (userId) => {
        const { user, bot } = await getBotViewWithUser({ db: ctx.db, userId });
        return { user, value: bot };
      });
      if (!bot) throw new AppError('not_found', 'You have no adbot yet: buy a plan first');
      return botResponse(bot);
    },
  );

  r.put(
    '/api/user/bot',
    {
      onRequest,
      schema: {
        ...docs,
        summary: 'Set the ad, the target chats, or both',
        description: 'A 400 lists every problem in `error.details.issues`, each with its field path.',
        body: putBotSchema,
        response: { 200: botViewSchema, ...errorResponses(400, 401, 403, 404, 409, 500, 503) },
      },
    },
    async (req) => {
      await updateBotConfig({ db: ctx.db, userId: me(req), input: req.body });
      return loadBot(me(req));
    },
  );

  r.post(
    '/api/user/bot/start',
    { onRequest, schema: { ...docs, summary: 'Start posting', response: { 200: botViewSchema, ...actionErrors } } },
    async (req) => {
      await startAdbot({ db: ctx.db, userId: me(req) });
      return loadBot(me(req));
    },
  );

  r.post('/api/user/bot/stop', { onRequest, schema: { ...docs, summary: 'Stop posting', response: { 200: botViewSchema, ...actionErrors } } }, async (req) => {
    await stopAdbot({ db: ctx.db, userId: me(req) });
    return loadBot(me(req));
  });

  // Each check is two Bot API calls per chat: limited so a stuck finger cannot flood Telegram.
  r.post(
    '/api/user/bot/chats/recheck',
    {
      onRequest,
      config: { rateLimit: { max: 30, timeWindow: '1 minute' } },
      schema: { ...docs, summary: 'Ask Telegram again whether the bots may post in every chat', response: { 200: botViewSchema, ...actionErrors } },
    },
    async (req) => {
      await recheckChats({ ctx, userId: me(req) });
      return loadBot(me(req));
    },
  );

  r.get(
    '/api/user/discovered-chats',
    {
      onRequest,
      schema: {
        ...docs,
        summary: 'Chats your bots were added to that are not in your chat list yet',
        description: 'From Telegram’s `my_chat_member` updates; each comes with the `ref` to add to the chat list with PUT /api/user/bot.',
        response: { 200: discoveredChatListSchema, ...authedErrors },
      },
    },
    async (req) => {
      const chats = await listDiscoveredChats({ db: ctx.db, userId: me(req) });
      return { chats: chats.map((c) => ({ ...c, addedAt: c.addedAt.toISOString() })) };
    },
  );

  r.get(
    '/api/user/notifications',
    {
      onRequest,
      schema: { ...docs, summary: 'Notifications, newest first, and how many are unread', response: { 200: notificationListSchema, ...authedErrors } },
    },
    async (req) => {
      const { notifications, unread } = await listNotifications({ db: ctx.db, userId: me(req) });
      return { notifications: notifications.map((n) => ({ ...n, readAt: iso(n.readAt), createdAt: n.createdAt.toISOString() })), unread };
    },
  );

  r.post(
    '/api/user/notifications/read',
    { onRequest, schema: { ...docs, summary: 'Mark every notification read', response: { 200: notificationsReadSchema, ...authedErrors } } },
    async (req) => {
      const marked = await markNotificationsRead({ db: ctx.db, userId: me(req) });
      return { marked, unread: 0 as const };
    },
  );

  // The delivery log, GET /api/user/posts and /api/user/posts.csv.
  await deliveryLogRoutes(app, ctx);
}

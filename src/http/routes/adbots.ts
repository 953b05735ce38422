import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../../lib/errors.js';
import { type BotView, getBotView } from '../../modules/adbots/get-bot-view.js';
import { getUserStats } from '../../modules/adbots/get-user-stats.js';
import { getUserStatus } from '../../modules/adbots/get-user-status.js';
import { recheckChats } from '../../modules/adbots/recheck-chats.js';
import { startAdbot } from '../../modules/adbots/start-adbot.js';
import { stopAdbot } from '../../modules/adbots/stop-adbot.js';
import { updateBotConfig } from '../../modules/adbots/update-bot-config.js';
import { listNotifications } from '../../modules/notifications/list-notifications.js';
import { markNotificationsRead } from '../../modules/notifications/mark-notifications-read.js';
import type { AppContext } from '../../platform/app-context.js';
import { putBotSchema } from '../../shared/bot-config-schema.js';
import { requireRole } from '../auth.js';

// The customer's own data only: every query is keyed by the session's user id, never by an id from the request.
const me = (req: FastifyRequest) => req.user!.id;

function botResponse(bot: BotView) {
  return {
    id: bot.id,
    status: bot.status,
    planSlug: bot.planSlug,
    planName: bot.planName,
    postingIntervalSeconds: bot.postingIntervalSeconds,
    senderCount: bot.senderCount,
    expiresAt: bot.expiresAt,
    senders: bot.senders,
    post: bot.post,
    chats: bot.chats,
  };
}

export async function adbotsRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const customer = { onRequest: requireRole(ctx, 'customer') };
  const loadBot = async (userId: string) => {
    const bot = await getBotView({ db: ctx.db, userId });
    if (!bot) throw new AppError('not_found', 'You have no adbot yet: buy a plan first');
    return botResponse(bot);
  };

  app.get('/api/user/status', customer, async (req) => {
    const s = await getUserStatus({ db: ctx.db, userId: me(req) });
    return {
      email: s.email,
      planStatus: s.planStatus,
      plan: s.plan,
      botStatus: s.botStatus,
      expiresAt: s.expiresAt,
      sendersReleased: s.sendersReleased,
      accountBanned: s.accountBanned,
      notificationCount: s.notificationCount,
    };
  });

  app.get('/api/user/stats', customer, async (req) => {
    const s = await getUserStats({ db: ctx.db, userId: me(req) });
    return {
      messagesSent: s.messagesSent,
      messagesUnconfirmed: s.messagesUnconfirmed,
      messagesFailed: s.messagesFailed,
      lastPostAt: s.lastPostAt,
      status: s.status,
      today: s.today,
      daily: s.daily,
    };
  });

  app.get('/api/user/bot', customer, async (req) => loadBot(me(req)));

  app.put('/api/user/bot', customer, async (req) => {
    const input = putBotSchema.parse(req.body);
    await updateBotConfig({ db: ctx.db, userId: me(req), input });
    return loadBot(me(req));
  });

  app.post('/api/user/bot/start', customer, async (req) => {
    await startAdbot({ db: ctx.db, userId: me(req) });
    return loadBot(me(req));
  });

  app.post('/api/user/bot/stop', customer, async (req) => {
    await stopAdbot({ db: ctx.db, userId: me(req) });
    return loadBot(me(req));
  });

  // Each check is two Bot API calls per chat: limited so a stuck finger cannot flood Telegram.
  app.post('/api/user/bot/chats/recheck', { ...customer, config: { rateLimit: { max: 30, timeWindow: '1 minute' } } }, async (req) => {
    await recheckChats({ ctx, userId: me(req) });
    return loadBot(me(req));
  });

  app.get('/api/user/notifications', customer, async (req) => {
    const { notifications, unread } = await listNotifications({ db: ctx.db, userId: me(req) });
    return { notifications, unread };
  });

  app.post('/api/user/notifications/read', customer, async (req) => {
    const marked = await markNotificationsRead({ db: ctx.db, userId: me(req) });
    return { marked, unread: 0 };
  });
}

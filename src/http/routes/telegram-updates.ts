// Webhook mode (TELEGRAM_UPDATES): Telegram POSTs each sender bot's updates here, with the
// secret_token the webhook was set with (ensure-webhooks.ts) in X-Telegram-Bot-Api-Secret-Token.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { AppError } from '../../lib/errors.js';
import { handleUpdate } from '../../modules/engine/updates/handle-update.js';
import { isWebhookSecretValid } from '../../modules/engine/updates/webhook-secret.js';
import type { AppContext } from '../../platform/app-context.js';
import { telegramUpdateBodySchema, telegramUpdateParamsSchema, telegramUpdateResultSchema } from '../../shared/api/telegram.js';
import { errorResponses } from '../route-docs.js';

/** An update is a few KB; Telegram never sends more than this. */
const UPDATE_BODY_LIMIT = 64 * 1024;

export async function telegramUpdatesRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app.withTypeProvider<ZodTypeProvider>().post(
    '/api/telegram/updates/:senderId',
    {
      bodyLimit: UPDATE_BODY_LIMIT,
      // Before the body is read: a request without the sender's secret changes nothing and costs nothing.
      onRequest: async (req) => {
        const { senderId } = req.params as { senderId?: string };
        if (!isWebhookSecretValid(ctx.config, senderId ?? '', req.headers['x-telegram-bot-api-secret-token'])) {
          throw new AppError('unauthorized', 'Missing or wrong X-Telegram-Bot-Api-Secret-Token for this sender');
        }
      },
      // The schemas document; handleUpdate validates. An update of a shape we do not know is
      // confirmed with a 200 all the same: a 4xx would make Telegram send it again and again.
      validatorCompiler: () => (data) => ({ value: data }),
      schema: {
        tags: ['telegram'],
        summary: "Telegram's webhook for one sender bot",
        description:
          'Called by Telegram only: `X-Telegram-Bot-Api-Secret-Token` must be the secret the webhook was set with (401 otherwise, checked before the body is read). ' +
          'Acts on `my_chat_member` (the bot added to or removed from a chat); every update is applied once, by `update_id`.',
        params: telegramUpdateParamsSchema,
        body: telegramUpdateBodySchema,
        response: { 200: telegramUpdateResultSchema, ...errorResponses(401, 413, 500, 503) },
      },
    },
    async (req) => {
      const { effect } = await handleUpdate({ ctx, senderId: req.params.senderId, update: req.body });
      return { ok: true as const, effect };
    },
  );
}

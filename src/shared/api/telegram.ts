// POST /api/telegram/updates/:senderId: what Telegram pushes to a sender's webhook.
import { z } from 'zod';

export const telegramUpdateParamsSchema = z.object({ senderId: z.string().max(64) });

/** An Update (https://core.telegram.org/bots/api#update); only my_chat_member is acted on. */
export const telegramUpdateBodySchema = z.looseObject({
  update_id: z.number().int().nonnegative(),
  my_chat_member: z.looseObject({}).optional(),
});

export const telegramUpdateResultSchema = z.object({
  ok: z.literal(true),
  effect: z.enum(['invalid', 'duplicate', 'ignored', 'recheck', 'removed', 'discovered', 'unchanged']),
});

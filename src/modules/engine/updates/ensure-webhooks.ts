// Webhook mode: every sender this worker leases has its webhook set to this install's URL,
// once (senders.webhook_url remembers what was set). A sender whose setWebhook fails is tried
// again on the next tick.
import { and, eq, inArray, sql } from 'drizzle-orm';
import { senders } from '../../../db/schema.js';
import { setWebhook } from '../../../integrations/telegram/client.js';
import type { AppContext } from '../../../platform/app-context.js';
import { getSenderToken } from '../../stock/get-sender-token.js';
import { setSenderWebhookUrl } from '../../stock/record-sender-updates.js';
import { WEBHOOK_PATH_PREFIX, webhookSecretFor, webhookUrlFor } from './webhook-secret.js';

/** The only update the engine acts on; Telegram then sends nothing else. */
export const ALLOWED_UPDATES = ['my_chat_member'];

export type EnsureWebhooksOptions = { ctx: Pick<AppContext, 'db' | 'config' | 'log'>; senderIds: ReadonlySet<string> };

/** Sets the webhook of each leased, real sender whose stored webhook_url is not this install's; returns how many were set. */
export async function ensureWebhooks({ ctx, senderIds }: EnsureWebhooksOptions): Promise<number> {
  if (senderIds.size === 0) return 0;
  const prefix = `${ctx.config.publicUrl}${WEBHOOK_PATH_PREFIX}`;
  const stale = await ctx.db
    .select({ id: senders.id })
    .from(senders)
    .where(
      and(
        inArray(senders.id, [...senderIds]),
        eq(senders.isSandbox, false),
        inArray(senders.state, ['assigned', 'frozen']),
        sql`${senders.webhookUrl} is distinct from ${prefix} || ${senders.id}::text`,
      ),
    );
  let set = 0;
  for (const { id } of stale) {
    const url = webhookUrlFor(ctx.config, id);
    try {
      const token = await getSenderToken({ ctx, senderId: id });
      await setWebhook({ apiRoot: ctx.config.telegramApiRoot, token, url, secretToken: webhookSecretFor(ctx.config, id), allowedUpdates: ALLOWED_UPDATES });
      await setSenderWebhookUrl(ctx.db, id, url);
      set++;
    } catch (err) {
      ctx.log.warn({ err, senderId: id }, 'telegram: setWebhook failed; tried again next tick');
    }
  }
  return set;
}
